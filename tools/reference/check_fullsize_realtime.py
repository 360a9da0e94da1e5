#!/usr/bin/env python3
"""Full-size realtime 0.5B check: upstream `generate()` and `vibevoice speak` on the same bf16 checkpoint.

Developer-only (2 GB of weights, a few minutes; CI runs the tiny-model fixtures instead). The checkpoint folder comes
from the reference benchmark, which writes random weights in the real checkpoint layout (605 tensors, the published
parameter count) and config.json:

    PYTHONPATH=/tmp/vv python ../shared/bench/python-ref/bench_vibevoice_ref.py --runs 1 --frames 6 \
        --voice ../shared/data/voices/en-Davis_man.pt --save-weights /tmp/rt05
    PYTHONPATH=/tmp/vv /work/venv-ref/bin/python tools/reference/check_fullsize_realtime.py /tmp/rt05 \
        --voice ../shared/data/voices/en-Davis_man.pt --tokenizer ../shared/bench/python-ref/tokenizer/tokenizer.json \
        --vibevoice .build/release/vibevoice

Upstream runs in fp32 on the bf16 weights widened to fp32 (what the Swift CPU backend computes with), with
`torch.randn` patched to record each frame's diffusion noise; `vibevoice speak --noise` replays that noise. Prints
the frame count and stop of both, and the largest latent and audio differences (absolute and relative to the
largest magnitude). Exits non-zero when the frames differ or a relative error exceeds --tolerance.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile

import torch
from safetensors.torch import load_file, save_file
from tokenizers import Tokenizer
from transformers.cache_utils import DynamicCache
from transformers.modeling_outputs import BaseModelOutputWithPast

from vibevoice.modular.configuration_vibevoice_streaming import VibeVoiceStreamingConfig
from vibevoice.modular.modeling_vibevoice_streaming_inference import (
    VibeVoiceStreamingForConditionalGenerationInference,
)

IMAGE_PAD = 151655  # <|image_pad|> in Qwen2.5: upstream pads the prompt positions with it


class QwenIds:
    """The token ids `generate()` asks the tokenizer for (Qwen2.5 special tokens)."""
    bos_token_id = None
    eos_token_id = 151643
    pad_token_id = 151643
    speech_start_id = 151652  # <|vision_start|>
    speech_end_id = 151653  # <|vision_end|>
    speech_diffusion_id = 151654  # <|vision_pad|>

    def convert_tokens_to_ids(self, token):
        assert token == "<|image_pad|>", token
        return IMAGE_PAD


def fp32(preset):
    out = {}
    for name, group in preset.items():
        cache = DynamicCache()
        for i in range(len(group.past_key_values.key_cache)):
            cache.update(group.past_key_values.key_cache[i].float(), group.past_key_values.value_cache[i].float(), i)
        out[name] = BaseModelOutputWithPast(last_hidden_state=group.last_hidden_state.float(), past_key_values=cache)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("checkpoint")
    ap.add_argument("--voice", required=True)
    ap.add_argument("--tokenizer", required=True)
    ap.add_argument("--vibevoice", default=".build/release/vibevoice")
    ap.add_argument("--text", default="Hello there, this is a full size check of the realtime model.")
    ap.add_argument("--max-new-tokens", type=int, default=40)
    ap.add_argument("--steps", type=int, default=5)
    ap.add_argument("--cfg-scale", type=float, default=1.5)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--tolerance", type=float, default=1e-3, help="largest relative error accepted")
    ap.add_argument("--no-eos", action="store_true",
                    help="set the EOS classifier's output bias to -100 in both (a copy of the checkpoint), so random "
                         "weights run until --max-new-tokens instead of stopping after a frame or two")
    args = ap.parse_args()
    workdir = tempfile.TemporaryDirectory()
    if args.no_eos:
        tensors = load_file(os.path.join(args.checkpoint, "model.safetensors"))
        tensors["tts_eos_classifier.fc2.bias"] = torch.full_like(tensors["tts_eos_classifier.fc2.bias"], -100.0)
        copy = os.path.join(workdir.name, "checkpoint")
        os.mkdir(copy)
        save_file(tensors, os.path.join(copy, "model.safetensors"), metadata={"format": "pt"})
        os.symlink(os.path.abspath(os.path.join(args.checkpoint, "config.json")), os.path.join(copy, "config.json"))
        del tensors
        args.checkpoint = copy

    torch.set_num_threads(2)
    config = json.load(open(os.path.join(args.checkpoint, "config.json")))
    config["torch_dtype"] = "float32"
    for sub in ("decoder_config", "acoustic_tokenizer_config", "diffusion_head_config"):
        config.get(sub, {})["torch_dtype"] = "float32"
    model = VibeVoiceStreamingForConditionalGenerationInference(VibeVoiceStreamingConfig(**config)).float().eval()
    state = {k: v.float() for k, v in load_file(os.path.join(args.checkpoint, "model.safetensors")).items()}
    missing, unexpected = model.load_state_dict(state, strict=False)
    assert not unexpected, unexpected
    assert all(k.startswith("model.acoustic_tokenizer.encoder.") for k in missing), missing
    model.set_ddpm_inference_steps(args.steps)

    preset = torch.load(args.voice, map_location="cpu", weights_only=False)
    l_lm = preset["lm"].last_hidden_state.shape[1]
    l_tts = preset["tts_lm"].last_hidden_state.shape[1]
    text = args.text.strip() + "\n"
    ids = Tokenizer.from_file(args.tokenizer).encode(text, add_special_tokens=False).ids

    noises, latents = [], []
    real_randn, original = torch.randn, model.sample_speech_tokens
    gen = torch.Generator().manual_seed(args.seed)

    def fake_randn(*shape, **kw):
        x = real_randn(*shape, generator=gen)
        noises.append(x[0].clone())
        return x

    def sample(c, n, cfg_scale=3.0):
        z = original(c, n, cfg_scale=cfg_scale)
        latents.append(z[0].clone())
        return z

    model.sample_speech_tokens, torch.randn = sample, fake_randn
    try:
        with torch.no_grad():
            out = model.generate(
                input_ids=torch.full((1, l_lm), IMAGE_PAD), attention_mask=torch.ones(1, l_lm, dtype=torch.long),
                tts_lm_input_ids=torch.full((1, l_tts), IMAGE_PAD),
                tts_lm_attention_mask=torch.ones(1, l_tts, dtype=torch.long),
                tts_text_ids=torch.tensor([ids]), all_prefilled_outputs=fp32(preset), tokenizer=QwenIds(),
                cfg_scale=args.cfg_scale, max_new_tokens=args.max_new_tokens, return_speech=True,
                show_progress_bar=False)
    finally:
        torch.randn, model.sample_speech_tokens = real_randn, original
    audio = out.speech_outputs[0].reshape(-1).float()
    frames = audio.numel() // 3200
    print(f"upstream: {len(ids)} text tokens, {len(latents)} latents sampled, {frames} frames kept, "
          f"audio peak {audio.abs().max():.4g}")

    with tempfile.TemporaryDirectory() as tmp:
        voices = os.path.join(tmp, "voices")
        os.mkdir(voices)
        os.symlink(os.path.abspath(args.voice), os.path.join(voices, os.path.basename(args.voice)))
        save_file({"noise": torch.stack(noises[:frames]).contiguous()}, os.path.join(tmp, "noise.safetensors"))
        cmd = [args.vibevoice, "speak", args.text, "--model-dir", args.checkpoint, "--tokenizer", args.tokenizer,
               "--voices-dir", voices, "--noise", os.path.join(tmp, "noise.safetensors"), "--steps", str(args.steps),
               "--cfg-scale", str(args.cfg_scale), "-o", os.path.join(tmp, "out.wav"),
               "--dump", os.path.join(tmp, "dump.safetensors")]
        r = subprocess.run(cmd, capture_output=True, text=True)
        print("vibevoice speak:", r.stderr.strip().splitlines()[-1] if r.stderr.strip() else "", f"(exit {r.returncode})")
        if r.returncode != 0:
            print(r.stderr)
            return 1
        ours = load_file(os.path.join(tmp, "dump.safetensors"))

    ok = True
    ref_latents = torch.stack(latents[:frames])
    if ours["latents"].shape != ref_latents.shape:
        print(f"FRAMES DIFFER: swift {tuple(ours['latents'].shape)} vs upstream {tuple(ref_latents.shape)}")
        ok = False
    n = min(ours["latents"].shape[0], ref_latents.shape[0])
    for name, a, b in [("latents", ours["latents"][:n], ref_latents[:n]),
                       ("audio", ours["audio"][:n * 3200], audio[:n * 3200])]:
        err = (a - b).abs().max().item()
        rel = err / max(b.abs().max().item(), 1e-12)
        print(f"{name}: max-abs {err:.3g}, relative to the peak {rel:.3g} (tolerance {args.tolerance})")
        ok &= rel <= args.tolerance
    print("MATCH" if ok else "MISMATCH")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
