"""Reference fixtures for the Swift diffusion head, DPM-Solver++ scheduler, connectors and EOS classifier.

Everything is built from the upstream classes (microsoft/VibeVoice at /tmp/vv on PYTHONPATH) in fp32, seeded:

1. `diffusion_weights.safetensors`: a tiny random-weight `VibeVoiceDiffusionHead` (hidden 48, 2 layers, FFN 144,
   latent 16), the realtime `SpeechConnector` (acoustic, 16 -> 48), the 1.5B `SpeechConnector` (semantic, 24 -> 48),
   the realtime `BinaryClassifier` (EOS) and the two 0-d scaling buffers, all under their real checkpoint names
   (`model.prediction_head.*`, `model.acoustic_connector.*`, `model.semantic_connector.*`, `tts_eos_classifier.*`,
   `model.speech_scaling_factor`, `model.speech_bias_factor`).
2. `diffusion_trace.safetensors`: the head at several timesteps on a batch of two (timestep embedding, condition,
   each layer, output, recorded with forward hooks under the module names), the connectors, the EOS logits, and
   full `sample_speech_tokens` loops (the upstream function itself, called on a stand-in `self`) for 5 and 10 steps
   with CFG 1.5, plus a 5-step loop with the `sde-dpmsolver++` scheduler the web demo uses. The noise the loop
   draws from torch's global generator is reproduced by re-seeding and stored as an input (`loop.*.noise`, and
   `loop.sde5.step_noise` for the SDE draws).
3. `scheduler_trace.safetensors`: `DPMSolverMultistepScheduler` exactly as `VibeVoiceStreamingModel` builds it
   (1000 steps, cosine, v_prediction): the training tables, then for 5, 10 and 20 steps the timesteps, sigmas, and
   for every step of a stub-model loop (v = 0.1·x + const) the model output, the x0 prediction, the solver order
   taken and the new sample; the update coefficients of every step are probed from the reference update functions
   with unit inputs (x' = a·x + b·m0 + c·(m0 − m1) + d·noise). Same for the SDE variant with injected noise. Then a
   sweep over every step count 1…30 (ODE and SDE): timesteps, sigmas, orders, coefficients, final stub sample.
4. `diffusion_fullsize_trace.safetensors`: the realtime head at its real width (hidden 896, 4 layers, FFN 2688,
   latent 64) with weights from a counter-based hash both sides compute bit-exactly (`hash_weights`; no weights
   stored), its output on a batch of two, and a 5-step CFG `sample_speech_tokens` with injected noise.

Usage (from the package root):
    PYTHONPATH=/tmp/vv /work/venv-ref/bin/python tools/reference/make_diffusion_fixtures.py
Outputs go to Tests/VVModelsTests/Fixtures/.
"""
import os
import types

import numpy as np
import torch
from safetensors.torch import save_file

from vibevoice.modular.configuration_vibevoice import VibeVoiceDiffusionHeadConfig
from vibevoice.modular.modeling_vibevoice import SpeechConnector as SemanticConnectorClass
from vibevoice.modular.modeling_vibevoice_streaming import BinaryClassifier, SpeechConnector
from vibevoice.modular.modeling_vibevoice_streaming_inference import (
    VibeVoiceStreamingForConditionalGenerationInference as Inference,
)
from vibevoice.modular.modular_vibevoice_diffusion_head import VibeVoiceDiffusionHead
from vibevoice.schedule.dpm_solver import DPMSolverMultistepScheduler

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "..", "Tests", "VVModelsTests", "Fixtures")
HIDDEN, LATENT, SEMANTIC = 48, 16, 24


def randomize(module, generator, scale=0.1):
    """Every parameter N(0, scale²); norm weights 1 + N(0, scale²) (upstream zero-inits adaLN, which hides bugs)."""
    with torch.no_grad():
        for name, p in module.named_parameters():
            values = torch.randn(p.shape, generator=generator) * scale
            p.copy_(values + 1.0 if name.endswith("norm.weight") else values)


def make_scheduler(algorithm="dpmsolver++"):
    """As `VibeVoiceStreamingModel.__init__` (and the web demo for the SDE variant) constructs it."""
    return DPMSolverMultistepScheduler(
        num_train_timesteps=1000, beta_schedule="cosine", prediction_type="v_prediction", algorithm_type=algorithm)


def modules():
    generator = torch.Generator().manual_seed(2024)
    config = VibeVoiceDiffusionHeadConfig(
        hidden_size=HIDDEN, head_layers=2, head_ffn_ratio=3.0, rms_norm_eps=1e-5, latent_size=LATENT,
        speech_vae_dim=LATENT)
    head = VibeVoiceDiffusionHead(config).eval()
    acoustic = SpeechConnector(LATENT, HIDDEN).eval()
    semantic = SemanticConnectorClass(SEMANTIC, HIDDEN).eval()
    eos = BinaryClassifier(HIDDEN).eval()
    for module in (head, acoustic, semantic, eos):
        randomize(module, generator)
    weights = {}
    for prefix, module in [("model.prediction_head.", head), ("model.acoustic_connector.", acoustic),
                           ("model.semantic_connector.", semantic), ("tts_eos_classifier.", eos)]:
        weights.update({prefix + k: v.contiguous() for k, v in module.state_dict().items()})
    # The bf16 values third-party loaders report for the 0.5B (spec-tts.md §1.7); stored 0-d as upstream does.
    weights["model.speech_scaling_factor"] = torch.tensor(0.2333984375)
    weights["model.speech_bias_factor"] = torch.tensor(-0.0703125)
    save_file(weights, os.path.join(OUT, "diffusion_weights.safetensors"))
    return generator, head, acoustic, semantic, eos, weights


def head_trace(generator, head, trace):
    """The head on a batch of two (distinct x and conditions) at several timesteps, every block recorded."""
    recorded = {}
    step = [""]

    def hook(name):
        return lambda m, i, o: recorded.__setitem__(f"{step[0]}.{name}", o.detach().clone())

    head.noisy_images_proj.register_forward_hook(hook("noisy_images_proj"))
    head.t_embedder.register_forward_hook(hook("t_embedder"))
    head.cond_proj.register_forward_hook(hook("cond_proj"))
    for n, layer in enumerate(head.layers):
        layer.register_forward_hook(hook(f"layers.{n}"))
    head.final_layer.register_forward_hook(hook("final_layer"))
    x = torch.randn((2, LATENT), generator=generator)
    condition = torch.randn((2, HIDDEN), generator=generator)
    trace["head.x"], trace["head.condition"] = x, condition
    timesteps = [999.0, 799.0, 400.0, 200.0, 0.0, 12.5]
    trace["head.timesteps"] = torch.tensor(timesteps)
    with torch.no_grad():
        for index, t in enumerate(timesteps):
            step[0] = f"head.t{index}"
            head(x, torch.tensor([t, t]), condition=condition)
    trace.update(recorded)


def connector_trace(generator, acoustic, semantic, eos, trace):
    with torch.no_grad():
        z = torch.randn((3, LATENT), generator=generator)
        s = torch.randn((3, SEMANTIC), generator=generator)
        h = torch.randn((3, HIDDEN), generator=generator)
        trace["acoustic_connector.input"], trace["acoustic_connector.output"] = z, acoustic(z)
        trace["semantic_connector.input"], trace["semantic_connector.output"] = s, semantic(s)
        trace["eos.input"], trace["eos.logits"] = h, eos(h)
        trace["eos.probability"] = torch.sigmoid(eos(h))


def loop_trace(generator, head, trace):
    """Upstream `sample_speech_tokens` on a stand-in `self`; its global-RNG noise reproduced by re-seeding."""
    condition = torch.randn((1, HIDDEN), generator=generator)
    negative = torch.randn((1, HIDDEN), generator=generator)
    trace["loop.condition"], trace["loop.negative"] = condition, negative
    for name, steps, algorithm, seed in [("n5", 5, "dpmsolver++", 11), ("n10", 10, "dpmsolver++", 12),
                                         ("sde5", 5, "sde-dpmsolver++", 13)]:
        owner = types.SimpleNamespace(
            model=types.SimpleNamespace(noise_scheduler=make_scheduler(algorithm), prediction_head=head),
            ddpm_inference_steps=steps, config=types.SimpleNamespace(acoustic_vae_dim=LATENT))
        torch.manual_seed(seed)
        noise = torch.randn(2, LATENT)
        step_noise = torch.stack([torch.randn(2, LATENT) for _ in range(steps)]) if algorithm != "dpmsolver++" else None
        torch.manual_seed(seed)
        with torch.no_grad():
            result = Inference.sample_speech_tokens(owner, condition, negative, cfg_scale=1.5)
        trace[f"loop.{name}.noise"] = noise
        if step_noise is not None:
            trace[f"loop.{name}.step_noise"] = step_noise
        trace[f"loop.{name}.output"] = result


def probed_run(trace, p, algorithm, steps, x_start, const, noises, record_steps):
    """Runs the stub loop on a fresh scheduler, probing the coefficients of every step from the update functions."""
    scheduler = make_scheduler(algorithm)
    scheduler.set_timesteps(steps)
    trace[f"{p}.timesteps"] = scheduler.timesteps.to(torch.int32)
    trace[f"{p}.sigmas"] = scheduler.sigmas
    first, second = scheduler.dpm_solver_first_order_update, scheduler.multistep_dpm_solver_second_order_update
    orders, coefficients = [], []
    one, zero = torch.ones((1, 1)), torch.zeros((1, 1))

    def probe_first(model_output, sample=None, noise=None):
        orders.append(1)
        n = None if noise is None else zero
        a = first(zero, sample=one, noise=n).item()
        b = first(one, sample=zero, noise=n).item()
        d = first(zero, sample=zero, noise=one).item() if noise is not None else 0.0
        coefficients.append([a, b, 0.0, d])
        return first(model_output, sample=sample, noise=noise)

    def probe_second(model_outputs, sample=None, noise=None):
        orders.append(2)
        n = None if noise is None else zero
        a = second([zero, zero], sample=one, noise=n).item()
        b = second([one, one], sample=zero, noise=n).item()
        c = second([zero, one], sample=zero, noise=n).item() - b
        d = second([zero, zero], sample=zero, noise=one).item() if noise is not None else 0.0
        coefficients.append([a, b, c, d])
        return second(model_outputs, sample=sample, noise=noise)

    scheduler.dpm_solver_first_order_update = probe_first
    scheduler.multistep_dpm_solver_second_order_update = probe_second
    x = x_start.clone()
    for k, t in enumerate(scheduler.timesteps):
        v = 0.1 * x + const
        kwargs = {"variance_noise": noises[k]} if noises is not None else {}
        x = scheduler.step(v, t, x, **kwargs).prev_sample
        if record_steps:
            trace[f"{p}.step{k}.v"] = v
            trace[f"{p}.step{k}.x0"] = scheduler.model_outputs[-1].clone()
            trace[f"{p}.step{k}.out"] = x.clone()
    if noises is not None and record_steps:
        trace[f"{p}.noise"] = noises
    trace[f"{p}.output"] = x.clone()
    trace[f"{p}.orders"] = torch.tensor(orders, dtype=torch.int32)
    trace[f"{p}.coefficients"] = torch.tensor(coefficients, dtype=torch.float32)


def scheduler_trace():
    trace = {}
    reference = make_scheduler()
    trace["train.betas"] = reference.betas
    trace["train.alphas_cumprod"] = reference.alphas_cumprod
    trace["train.sigmas"] = reference.sigmas
    generator = torch.Generator().manual_seed(77)
    x_start = torch.randn((1, LATENT), generator=generator)
    const = torch.randn((1, LATENT), generator=generator)
    trace["stub.x"], trace["stub.const"] = x_start, const
    for steps in (5, 10, 20):
        probed_run(trace, f"ode{steps}", "dpmsolver++", steps, x_start, const, None, True)
    noises = torch.randn((5, 1, LATENT), generator=generator)
    probed_run(trace, "sde5", "sde-dpmsolver++", 5, x_start, const, noises, True)
    # Every step count from 1 to 30 (the web demo's slider spans 5-20): timesteps, sigmas, orders, coefficients and
    # the stub loop's final sample (SDE with zero noise, its d still probed).
    zeros = torch.zeros((30, 1, LATENT))
    for steps in range(1, 31):
        probed_run(trace, f"sweep.ode{steps}", "dpmsolver++", steps, x_start, const, None, False)
        probed_run(trace, f"sweep.sde{steps}", "sde-dpmsolver++", steps, x_start, const, zeros, False)
    save_file({k: v.contiguous() for k, v in trace.items()}, os.path.join(OUT, "scheduler_trace.safetensors"))


def hash_values(count, tensor_index):
    """Uniform values in [-0.5, 0.5) from a counter hash of (element, tensor index), exact in fp32 (24-bit)."""
    i = np.arange(1, count + 1, dtype=np.uint64)
    u = (i * np.uint64(0x9E3779B1) + np.uint64(tensor_index) * np.uint64(0x85EBCA77)) & np.uint64(0xFFFFFFFF)
    u ^= u >> np.uint64(15)
    u = (u * np.uint64(0x2C1B3C6D)) & np.uint64(0xFFFFFFFF)
    u ^= u >> np.uint64(12)
    return (u >> np.uint64(8)).astype(np.float32) * np.float32(2.0 ** -24) - np.float32(0.5)


def hash_weights(module, scale=0.1):
    """Tensor n of the name-sorted state dict gets `hash_values · scale` (norm weights 1 + that), all in fp32."""
    with torch.no_grad():
        params = dict(module.named_parameters())
        for n, name in enumerate(sorted(params)):
            p = params[name]
            values = hash_values(p.numel(), n) * np.float32(scale)
            if name.endswith("norm.weight"):
                values = values + np.float32(1.0)
            p.copy_(torch.from_numpy(values.reshape(tuple(p.shape))))


def fullsize_trace():
    config = VibeVoiceDiffusionHeadConfig(
        hidden_size=896, head_layers=4, head_ffn_ratio=3.0, rms_norm_eps=1e-5, latent_size=64, speech_vae_dim=64)
    head = VibeVoiceDiffusionHead(config).eval()
    hash_weights(head)
    generator = torch.Generator().manual_seed(31)
    trace = {"x": torch.randn((2, 64), generator=generator), "condition": torch.randn((2, 896), generator=generator),
             "timesteps": torch.tensor([999.0, 200.0])}
    with torch.no_grad():
        trace["output"] = head(trace["x"], trace["timesteps"], condition=trace["condition"])
        owner = types.SimpleNamespace(
            model=types.SimpleNamespace(noise_scheduler=make_scheduler(), prediction_head=head),
            ddpm_inference_steps=5, config=types.SimpleNamespace(acoustic_vae_dim=64))
        torch.manual_seed(41)
        trace["loop.noise"] = torch.randn(2, 64)
        torch.manual_seed(41)
        trace["loop.output"] = Inference.sample_speech_tokens(
            owner, trace["condition"][:1], trace["condition"][1:], cfg_scale=1.5)
    save_file({k: v.contiguous() for k, v in trace.items()}, os.path.join(OUT, "diffusion_fullsize_trace.safetensors"))


if __name__ == "__main__":
    torch.manual_seed(0)
    os.makedirs(OUT, exist_ok=True)
    scheduler_trace()
    generator, head, acoustic, semantic, eos, _ = modules()
    trace = {}
    head_trace(generator, head, trace)
    connector_trace(generator, acoustic, semantic, eos, trace)
    loop_trace(generator, head, trace)
    save_file({k: v.contiguous() for k, v in trace.items()}, os.path.join(OUT, "diffusion_trace.safetensors"))
    fullsize_trace()
    for name in ["diffusion_fullsize_trace.safetensors", "scheduler_trace.safetensors", "diffusion_weights.safetensors", "diffusion_trace.safetensors"]:
        print(name, os.path.getsize(os.path.join(OUT, name)))
