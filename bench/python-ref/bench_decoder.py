"""Torch reference timings for `vibevoice bench decoder`: the upstream σ-VAE decoder streaming one latent frame at a
time (as the realtime 0.5B decodes), real size, random weights, torch CPU fp32.

Prints one JSON object: {"impl": "torch", "threads": N, "dtype": "fp32", "frame_ms": median, "frame_ms_best": best,
"frames": count, "peak_rss_bytes": ...}. Run by the Swift bench (`--torch-python`), or by hand from the repo root:
    /work/venv-ref/bin/python bench/python-ref/bench_decoder.py --threads 1 --frames 10
Needs the upstream microsoft/VibeVoice source (`--vibevoice-src`, default /tmp/vv).
"""
import argparse
import json
import resource
import sys
import time


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--frames", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--vibevoice-src", default="/tmp/vv")
    args = parser.parse_args()
    sys.path.insert(0, args.vibevoice_src)
    import torch
    from vibevoice.modular.configuration_vibevoice import VibeVoiceAcousticTokenizerConfig
    from vibevoice.modular.modular_vibevoice_tokenizer import (
        VibeVoiceAcousticTokenizerModel,
        VibeVoiceTokenizerStreamingCache,
    )

    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    # A minimal encoder (not timed); the decoder at the real size: depths 8-3-3-3-3-3-3, 2048 → 32 channels.
    config = VibeVoiceAcousticTokenizerConfig(
        encoder_n_filters=1, encoder_depths="1-1-1-1-1-1-1", decoder_depths="8-3-3-3-3-3-3")
    model = VibeVoiceAcousticTokenizerModel(config).eval()
    assert sum(p.numel() for p in model.decoder.parameters()) == 343_695_969  # spec-tts.md §2.3
    cache = VibeVoiceTokenizerStreamingCache()
    index = torch.tensor([0])
    times = []
    with torch.no_grad():
        for step in range(args.warmup + args.frames):
            latent = torch.randn(1, 1, 64)
            begin = time.perf_counter()
            audio = model.decode(latent, cache=cache, sample_indices=index, use_cache=True)
            elapsed = (time.perf_counter() - begin) * 1000
            assert audio.shape == (1, 1, 3200)
            if step >= args.warmup:
                times.append(elapsed)
    times.sort()
    print(json.dumps({
        "impl": "torch", "threads": args.threads, "dtype": "fp32", "frames": len(times),
        "frame_ms": times[len(times) // 2], "frame_ms_best": times[0],
        "peak_rss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
    }))


if __name__ == "__main__":
    main()
