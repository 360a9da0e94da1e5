"""Torch reference timings for `vibevoice bench decoder`: the upstream σ-VAE decoder streaming one latent frame at a
time (as the realtime 0.5B decodes), or with `--module semantic` the upstream semantic encoder streaming one
3200-sample chunk at a time (the 1.5B's per-frame feedback); real size, random weights, torch CPU fp32.

Prints one JSON object: {"impl": "torch", "module": ..., "threads": N, "dtype": "fp32", "frame_ms": median, "frame_ms_best": best,
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
    parser.add_argument("--module", choices=["decoder", "semantic"], default="decoder")
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--frames", type=int, default=10)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--vibevoice-src", default="/tmp/vv")
    args = parser.parse_args()
    sys.path.insert(0, args.vibevoice_src)
    import torch
    from vibevoice.modular.configuration_vibevoice import (
        VibeVoiceAcousticTokenizerConfig,
        VibeVoiceSemanticTokenizerConfig,
    )
    from vibevoice.modular.modular_vibevoice_tokenizer import (
        VibeVoiceAcousticTokenizerModel,
        VibeVoiceSemanticTokenizerModel,
        VibeVoiceTokenizerStreamingCache,
    )

    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    index = torch.tensor([0])
    if args.module == "decoder":
        # A minimal encoder (not timed); the decoder at the real size: depths 8-3-3-3-3-3-3, 2048 → 32 channels.
        config = VibeVoiceAcousticTokenizerConfig(
            encoder_n_filters=1, encoder_depths="1-1-1-1-1-1-1", decoder_depths="8-3-3-3-3-3-3")
        model = VibeVoiceAcousticTokenizerModel(config).eval()
        assert sum(p.numel() for p in model.decoder.parameters()) == 343_695_969  # spec-tts.md §2.3
        run = lambda cache: model.decode(torch.randn(1, 1, 64), cache=cache, sample_indices=index, use_cache=True)
        expected = (1, 1, 3200)
    else:
        model = VibeVoiceSemanticTokenizerModel(VibeVoiceSemanticTokenizerConfig(vae_dim=128)).eval()
        assert sum(p.numel() for p in model.encoder.parameters()) == 344_613_600  # spec-tts.md §2.2
        run = lambda cache: model.encode(
            torch.rand(1, 1, 3200) - 0.5, cache=cache, sample_indices=index, use_cache=True).mean
        expected = (1, 1, 128)
    cache = VibeVoiceTokenizerStreamingCache()
    times = []
    with torch.no_grad():
        for step in range(args.warmup + args.frames):
            begin = time.perf_counter()
            out = run(cache)
            elapsed = (time.perf_counter() - begin) * 1000
            assert tuple(out.shape) == expected, out.shape
            if step >= args.warmup:
                times.append(elapsed)
    times.sort()
    print(json.dumps({
        "impl": "torch", "module": args.module, "threads": args.threads, "dtype": "fp32", "frames": len(times),
        "frame_ms": times[len(times) // 2], "frame_ms_best": times[0],
        "peak_rss_bytes": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
    }))


if __name__ == "__main__":
    main()
