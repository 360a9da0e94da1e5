"""Torch reference timings for `vibevoice bench diffusion`: upstream `sample_speech_tokens` (diffusion head + CFG +
DPM-Solver++) per frame at a real head shape, random weights, torch CPU.

Prints one JSON object (ms per frame, median and best; the head forward alone, median). Run by the Swift bench
(`--torch-python`), or by hand (microsoft/VibeVoice on PYTHONPATH):
    PYTHONPATH=/tmp/vv /work/venv-ref/bin/python bench/python-ref/bench_diffusion.py --hidden 896 --threads 1
The head is upstream `VibeVoiceDiffusionHead` (fp32 unless --dtype bf16), weights N(0, 0.02) everywhere (upstream
zero-initialises adaLN and the output layer), the scheduler as `VibeVoiceStreamingModel` builds it.
"""
import argparse
import json
import statistics
import time
import types

import torch

from vibevoice.modular.configuration_vibevoice import VibeVoiceDiffusionHeadConfig
from vibevoice.modular.modeling_vibevoice_streaming_inference import (
    VibeVoiceStreamingForConditionalGenerationInference as Inference,
)
from vibevoice.modular.modular_vibevoice_diffusion_head import VibeVoiceDiffusionHead
from vibevoice.schedule.dpm_solver import DPMSolverMultistepScheduler


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--hidden", type=int, default=896)
    p.add_argument("--layers", type=int, default=4)
    p.add_argument("--latent", type=int, default=64)
    p.add_argument("--steps", type=int, default=5)
    p.add_argument("--frames", type=int, default=20)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--cfg", type=float, default=1.5)
    p.add_argument("--dtype", default="fp32", choices=["fp32", "bf16"])
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    dtype = torch.float32 if a.dtype == "fp32" else torch.bfloat16
    config = VibeVoiceDiffusionHeadConfig(
        hidden_size=a.hidden, head_layers=a.layers, head_ffn_ratio=3.0, latent_size=a.latent, speech_vae_dim=a.latent)
    head = VibeVoiceDiffusionHead(config).eval()
    with torch.no_grad():
        for parameter in head.parameters():
            parameter.normal_(0, 0.02)
    head = head.to(dtype)
    scheduler = DPMSolverMultistepScheduler(num_train_timesteps=1000, beta_schedule="cosine",
                                            prediction_type="v_prediction")
    owner = types.SimpleNamespace(
        model=types.SimpleNamespace(noise_scheduler=scheduler, prediction_head=head),
        ddpm_inference_steps=a.steps, config=types.SimpleNamespace(acoustic_vae_dim=a.latent))
    condition = torch.randn(1, a.hidden, dtype=dtype)
    negative = torch.randn(1, a.hidden, dtype=dtype)
    head_times = []
    forward = head.forward

    def timed_forward(*args, **kwargs):
        start = time.perf_counter()
        out = forward(*args, **kwargs)
        head_times.append(1e3 * (time.perf_counter() - start))
        return out

    head.forward = timed_forward
    times = []
    with torch.no_grad():
        for frame in range(a.frames + 2):
            start = time.perf_counter()
            Inference.sample_speech_tokens(owner, condition, negative, cfg_scale=a.cfg)
            if frame >= 2:
                times.append(1e3 * (time.perf_counter() - start))
    print(json.dumps({
        "impl": "torch", "threads": a.threads, "dtype": a.dtype, "torch": torch.__version__,
        "ms_per_frame": statistics.median(times), "ms_per_frame_best": min(times),
        "head_forward_ms": statistics.median(head_times[2 * a.steps:]),
    }))


if __name__ == "__main__":
    main()
