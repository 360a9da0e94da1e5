"""Reference fixtures for the Swift σ-VAE acoustic tokenizer and semantic encoder (VVModelsTests), fp32.

Uses the upstream modules of microsoft/VibeVoice (`vibevoice/modular/modular_vibevoice_tokenizer.py`:
`VibeVoiceAcousticTokenizerModel`, `VibeVoiceSemanticTokenizerModel`, `SConv1d`, `SConvTranspose1d`, `Block1D`,
`VibeVoiceTokenizerStreamingCache`) with weights drawn from a counter-based generator that the Swift side
(`TokenizerRandomWeights`) reproduces bit for bit, so no weights are stored: only inputs' seeds and outputs.

Generator: for a tensor named N (full checkpoint name), seed = FNV-1a 64 of N; element i is
u = (splitmix64(seed + i) >> 40) · 2⁻²³ − 1 (24-bit uniform in [−1, 1)), value = offset + scale · u in fp32, with
(scale, offset) from the tensor's role (see `role`). Audio and latents use the same generator under a made-up name.

Fixtures (Tests/VVModelsTests/Fixtures/):
1. `vae_tiny_trace.safetensors`: tiny acoustic tokenizer (real ratios [8,5,5,4,2,2], n_filters 2, vae_dim 64,
   encoder depths 1-1-1-1-1-1-2, decoder reversed) and tiny semantic encoder (same, vae_dim 128):
   - single modules on odd lengths: a strided SConv1d (k10 s5) one-shot and streamed in chunks with the final-chunk
     padding, a Block1D, a SConvTranspose1d one-shot and streamed;
   - the decoder on 5 latent frames (every stage output and the audio), and streamed frame by frame with the
     reference cache;
   - both encoders on 10001 samples (odd; stage outputs too) and 12800 (a multiple of 3200): the mean; the streamed
     encoders over 3200-sample chunks plus a final one; Gaussian σ-VAE sampling with its noise recorded;
   - 60 s segmentation as `VibeVoiceASRForConditionalGeneration.encode_speech` does it, on 1,444,001 generated samples
     (one 1,440,000-sample segment plus a final one), both encoders' means.
2. `vae_full_trace.safetensors`: the decoder at the real channel widths (n_filters 32: 2048 → 32 channels, k16..k4
   transposed convs) with one block per stage, on 2 latent frames: the small stage outputs and the 6400 samples.

Usage (from the package root):
    PYTHONPATH=/tmp/vv /work/venv-ref/bin/python tools/reference/make_vae_fixtures.py
"""
import math
import os

import numpy as np
import torch
from safetensors.torch import save_file

from vibevoice.modular.configuration_vibevoice import (
    VibeVoiceAcousticTokenizerConfig,
    VibeVoiceSemanticTokenizerConfig,
)
from vibevoice.modular.modular_vibevoice_tokenizer import (
    VibeVoiceAcousticTokenizerModel,
    VibeVoiceSemanticTokenizerModel,
    VibeVoiceTokenizerEncoderOutput,
    VibeVoiceTokenizerStreamingCache,
)

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "..", "Tests", "VVModelsTests", "Fixtures")
MASK = (1 << 64) - 1
ACOUSTIC = "model.acoustic_tokenizer."
SEMANTIC = "model.semantic_tokenizer."


def fnv1a64(text):
    h = 0xCBF29CE484222325
    for byte in text.encode():
        h = ((h ^ byte) * 0x100000001B3) & MASK
    return h


def uniform(name, count):
    """24-bit uniforms in [-1, 1) as float32, element i from splitmix64(fnv1a64(name) + i)."""
    with np.errstate(over="ignore"):
        x = np.arange(count, dtype=np.uint64) + np.uint64(fnv1a64(name)) + np.uint64(0x9E3779B97F4A7C15)
        x = (x ^ (x >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
        x = (x ^ (x >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
        x = x ^ (x >> np.uint64(31))
    return (x >> np.uint64(40)).astype(np.float32) * np.float32(2.0**-23) - np.float32(1.0)


def role(name, shape):
    """(scale, offset) of a checkpoint tensor: unit-variance-preserving weights, small biases, norms near 1."""
    if name.endswith("norm.weight"):
        return 0.1, 1.0
    if name.endswith("gamma"):
        return 0.2, 0.0
    if name.endswith("bias"):
        return 0.02, 0.0
    if ".convtr." in name:  # [in, out, 2s]: each output sample sums 2 taps of every input channel
        return math.sqrt(3.0 / (shape[0] * 2)), 0.0
    fan_in = shape[1] * (shape[2] if len(shape) == 3 else 1)
    return math.sqrt(3.0 / fan_in), 0.0


def generated(name, shape, scale, offset=0.0):
    u = uniform(name, int(np.prod(shape)))
    values = np.float32(offset) + np.float32(scale) * u
    return torch.from_numpy(values.reshape(shape).copy())


def fill(module, prefix):
    with torch.no_grad():
        for name, p in module.state_dict().items():
            scale, offset = role(prefix + name, tuple(p.shape))
            p.copy_(generated(prefix + name, tuple(p.shape), scale, offset))


def tiny_configs():
    common = dict(encoder_n_filters=2, encoder_depths="1-1-1-1-1-1-2", decoder_n_filters=2)
    return (VibeVoiceAcousticTokenizerConfig(vae_dim=64, **common),
            VibeVoiceSemanticTokenizerConfig(vae_dim=128, **{k: v for k, v in common.items() if "decoder" not in k}))


def stage_taps(coder, kind, trace, key):
    """Records each stage's output: the input of the next resampling conv, and of the head for the last."""
    layers = coder.upsample_layers if kind == "decoder" else coder.downsample_layers
    hooks = []
    for i in range(1, len(layers)):
        hooks.append(layers[i][0].register_forward_pre_hook(
            lambda m, a, i=i: trace.__setitem__(f"{key}.stages.{i - 1}", a[0][0].clone())))
    last = len(layers) - 1
    hooks.append(coder.head.register_forward_pre_hook(
        lambda m, a: trace.__setitem__(f"{key}.stages.{last}", a[0][0].clone())))
    return hooks


def streamed(module, pieces, final_flag, **kw):
    cache = VibeVoiceTokenizerStreamingCache()
    idx = torch.tensor([0])
    outs = []
    for n, piece in enumerate(pieces):
        extra = dict(is_final_chunk=(n == len(pieces) - 1)) if final_flag else {}
        outs.append(module(piece, cache=cache, sample_indices=idx, use_cache=True, **extra, **kw))
    return outs


def tiny(trace):
    acfg, scfg = tiny_configs()
    acoustic = VibeVoiceAcousticTokenizerModel(acfg).eval()
    semantic = VibeVoiceSemanticTokenizerModel(scfg).eval()
    fill(acoustic, ACOUSTIC)
    fill(semantic, SEMANTIC)
    with torch.no_grad():
        # Single modules.
        down = acoustic.encoder.downsample_layers[4][0]  # SConv1d 16 -> 32, k10 s5
        x = generated("input.sconv", (1, 16, 23), 1.7)
        trace["sconv.input"] = x[0]
        trace["sconv.output"] = down(x)[0]
        trace["sconv.streamed"] = torch.cat(streamed(down, [x[..., :10], x[..., 10:20], x[..., 20:]], True), 2)[0]
        block = acoustic.encoder.stages[2][0]  # Block1D at 8 channels
        x = generated("input.block", (1, 8, 29), 1.7)
        trace["block.input"] = x[0]
        trace["block.output"] = block(x)[0]
        up = acoustic.decoder.upsample_layers[2][0]  # SConvTranspose1d 64 -> 32, k10 s5
        x = generated("input.convtr", (1, 64, 7), 1.7)
        trace["convtr.input"] = x[0]
        trace["convtr.output"] = up(x)[0]
        trace["convtr.streamed"] = torch.cat(streamed(up, [x[..., :1], x[..., 1:2], x[..., 2:]], False), 2)[0]

        # Decoder, one-shot and frame by frame.
        latents = generated("input.latents", (1, 5, 64), 1.7)
        trace["decoder.latents"] = latents[0]
        hooks = stage_taps(acoustic.decoder, "decoder", trace, "decoder")
        trace["decoder.audio"] = acoustic.decode(latents)[0]
        for h in hooks:
            h.remove()
        frames = [acoustic.decode(latents[:, i:i + 1], cache=c, sample_indices=torch.tensor([0]), use_cache=True)
                  for c in [VibeVoiceTokenizerStreamingCache()] for i in range(5)]
        trace["decoder.streamed"] = torch.cat(frames, 2)[0]

        # Encoders on odd and whole-frame lengths, one-shot and streamed.
        for length in (10001, 12800):
            audio = generated(f"input.audio{length}", (1, 1, length), 0.5)
            if length == 10001:  # checks the Swift generator; the other input is only regenerated
                trace[f"audio{length}"] = audio[0, 0]
            for name, model in (("acoustic", acoustic), ("semantic", semantic)):
                key = f"{name}{length}"
                hooks = stage_taps(model.encoder, "encoder", trace, key) if length == 10001 else []
                out = model.encode(audio)
                for h in hooks:
                    h.remove()
                trace[f"{key}.mean"] = out.mean[0]
                pieces = [audio[..., s:s + 3200] for s in range(0, length, 3200)]
                means = [o.mean for o in streamed(model.encode, pieces, True)]
                trace[f"{key}.streamed"] = torch.cat(means, 1)[0]
            # Gaussian σ-VAE sampling (acoustic): the noise it draws is recorded by replaying the seed.
            mean = acoustic.encode(audio).mean
            torch.manual_seed(length)
            trace[f"acoustic{length}.noise_scale"] = torch.randn(1)
            trace[f"acoustic{length}.noise"] = torch.randn_like(mean)[0]
            torch.manual_seed(length)
            sample, _ = VibeVoiceTokenizerEncoderOutput(mean=mean, std=acoustic.fix_std).sample("gaussian")
            trace[f"acoustic{length}.sample"] = sample[0]

        # 60 s segmentation as encode_speech does it (segments of 1,440,000 samples, final flag on the last).
        total, segment = 1_444_001, 1_440_000
        audio = generated("input.audio60s", (1, 1, total), 0.5)
        for name, model in (("acoustic", acoustic), ("semantic", semantic)):
            pieces = [audio[..., s:min(s + segment, total)] for s in range(0, total, segment)]
            means = [o.mean for o in streamed(model.encode, pieces, True)]
            trace[f"{name}60s.segmented"] = torch.cat(means, 1)[0]
            trace[f"{name}60s.tail"] = model.encode(audio).mean[0, -8:]


def full(trace):
    cfg = VibeVoiceAcousticTokenizerConfig(vae_dim=64, encoder_n_filters=1, encoder_depths="1-1-1-1-1-1-1",
                                           decoder_n_filters=32, decoder_depths="1-1-1-1-1-1-1")
    model = VibeVoiceAcousticTokenizerModel(cfg).eval()
    fill(model.decoder, ACOUSTIC + "decoder.")
    with torch.no_grad():
        latents = generated("input.full_latents", (1, 2, 64), 1.7)
        trace["latents"] = latents[0]
        hooks = stage_taps(model.decoder, "decoder", trace, "decoder")
        trace["audio"] = model.decode(latents)[0]
        for h in hooks:
            h.remove()
        for i in range(4, 7):  # the large stage outputs are not kept (fixture size)
            del trace[f"decoder.stages.{i}"]


def main():
    torch.set_num_threads(2)
    trace = {}
    tiny(trace)
    save_file({k: v.contiguous().float() for k, v in trace.items()}, os.path.join(OUT, "vae_tiny_trace.safetensors"))
    trace = {}
    full(trace)
    save_file({k: v.contiguous().float() for k, v in trace.items()}, os.path.join(OUT, "vae_full_trace.safetensors"))


if __name__ == "__main__":
    main()
