"""Torch reference timings for `vibevoice bench lm`: the same Qwen2 stack shape, random weights, torch CPU.

Prints one JSON object: prefill tokens/s, decode ms/step per context length, peak RSS. Run by the Swift bench
(`--torch-python`), or by hand:
    /work/venv-ref/bin/python bench/python-ref/bench_lm.py --hidden 896 --intermediate 4864 --heads 14 \
        --kv-heads 2 --layers 20 --vocab 151936 --batch 2 --threads 2
The model is transformers' Qwen2Model (the class VibeVoice uses), default attention (sdpa), dtype fp32 unless
--dtype bf16. Decode contexts are fabricated by filling a DynamicCache with random keys/values of that length.
"""
import argparse
import json
import resource
import statistics
import time

import torch
from transformers import Qwen2Config, Qwen2Model
from transformers.cache_utils import DynamicCache


def main():
    p = argparse.ArgumentParser()
    for name in ["hidden", "intermediate", "heads", "kv-heads", "layers", "vocab"]:
        p.add_argument("--" + name, type=int, required=True)
    p.add_argument("--batch", type=int, default=1)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--prefill", type=int, default=128)
    p.add_argument("--contexts", default="64,512,2048")
    p.add_argument("--steps", type=int, default=8)
    p.add_argument("--dtype", default="fp32", choices=["fp32", "bf16"])
    p.add_argument("--head", default="none", choices=["none", "restricted", "full"])
    p.add_argument("--inputs", default="ids", choices=["ids", "embeddings"])
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    dtype = torch.float32 if a.dtype == "fp32" else torch.bfloat16
    config = Qwen2Config(
        vocab_size=a.vocab, hidden_size=a.hidden, intermediate_size=a.intermediate, num_hidden_layers=a.layers,
        num_attention_heads=a.heads, num_key_value_heads=a.kv_heads, rope_theta=1e6, sliding_window=None,
        max_position_embeddings=65536)
    model = Qwen2Model(config).to(dtype).eval()
    head = torch.nn.Linear(a.hidden, a.vocab, bias=False).to(dtype) if a.head != "none" else None
    head_dim = a.hidden // a.heads

    def run(length, batch, cache):
        if a.inputs == "ids":
            kwargs = dict(input_ids=torch.randint(0, a.vocab, (batch, length)))
        else:
            kwargs = dict(inputs_embeds=torch.randn(batch, length, a.hidden, dtype=dtype))
        out = model(past_key_values=cache, use_cache=True, **kwargs).last_hidden_state
        if head is not None:
            logits = head(out[:, -1])
            if a.head == "restricted":
                logits = logits[:, [151652, 151653, 151654, 151643]]
            logits.argmax(-1)
        return out

    result = {"impl": "torch", "threads": a.threads, "dtype": a.dtype, "torch": torch.__version__}
    with torch.no_grad():
        run(8, 1, DynamicCache())
        start = time.perf_counter()
        run(a.prefill, 1, DynamicCache())
        result["prefill_tokens_per_s"] = a.prefill / (time.perf_counter() - start)
        decode, best = {}, {}
        for context in [int(c) for c in a.contexts.split(",") if c]:
            cache = DynamicCache()
            for layer in range(a.layers):
                shape = (a.batch, a.kv_heads, context, head_dim)
                cache.update(torch.randn(shape, dtype=dtype), torch.randn(shape, dtype=dtype), layer)
            run(1, a.batch, cache)
            times = []
            for _ in range(a.steps):
                start = time.perf_counter()
                run(1, a.batch, cache)
                times.append((time.perf_counter() - start) * 1000)
            decode[str(context)] = statistics.median(times)
            best[str(context)] = min(times)
        result["decode_ms"] = decode
        result["decode_ms_best"] = best
    result["peak_rss_bytes"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(json.dumps(result))


if __name__ == "__main__":
    main()
