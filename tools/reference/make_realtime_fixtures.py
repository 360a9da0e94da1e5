#!/usr/bin/env python3
"""Makes the end-to-end fixtures of the realtime 0.5B generation loop (RealtimeSession tests).

Run with the reference venv and the upstream source on the path:

    PYTHONPATH=/tmp/vv /work/venv-ref/bin/python tools/reference/make_realtime_fixtures.py

Builds a TINY random-weight `VibeVoiceStreamingForConditionalGenerationInference` (upstream classes, fp32, CPU):
Qwen2 hidden 32, 4 heads, 2 KV heads (head_dim 8), MLP 64, vocab 320, 2 base + 2 TTS layers; diffusion head
hidden 32, 2 layers; σ-VAE decoder with the real ratios [8,5,5,4,2,2] (3200 samples per frame), n_filters 1,
vae_dim 64. Runs upstream `generate()` with `torch.randn` patched to return recorded noise, for two runs:
"eos" (the EOS classifier stops generation) and "cap" (max_new_tokens caps the TTS length first).

Writes into Tests/VVModelsTests/Fixtures/realtime_tiny/:
- config.json, model.safetensors   the checkpoint with the real tensor names (no lm_head, no encoder,
                                   no language_model.norm, as the published checkpoint)
- voice.pt                          a preset in the upstream structure (torch.save of BaseModelOutputWithPast
                                    and DynamicCache, bf16), made by running the tiny model on random prompts
- tokenizer.json                    a byte-level tokenizer in the Qwen2 format with no merges (ids 0-255 are the
                                    bytes, so every id fits the tiny vocab), derived from the VVText test tokenizer
- expected.safetensors              text_ids, per run: noise [frames, 64] (row 0 of each randn(2, 64)), latents
                                    [frames, 64] (model space), audio [samples], and meta (frames, cfg, steps,
                                    max_new_tokens)
"""

import json
import os
from pathlib import Path

import torch
from safetensors.torch import save_file
from transformers.cache_utils import DynamicCache
from transformers.modeling_outputs import BaseModelOutputWithPast

from vibevoice.modular.configuration_vibevoice_streaming import VibeVoiceStreamingConfig
from vibevoice.modular.modeling_vibevoice_streaming_inference import (
    VibeVoiceStreamingForConditionalGenerationInference,
)

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "Tests/VVModelsTests/Fixtures/realtime_tiny"
PAD_ID = 300
L_LM, L_TTS = 4, 7
TEXT = "Hello there"  # what `vibevoice speak "Hello there"` tokenises (after strip + "\n")
TEXT_IDS = list((TEXT + "\n").encode())  # 12 byte tokens: windows of 5, 5, 2
STEPS, CFG = 5, 1.5


def config():
    return {
        "model_type": "vibevoice_streaming",
        "architectures": ["VibeVoiceStreamingForConditionalGenerationInference"],
        "acoustic_vae_dim": 64,
        "tts_backbone_num_hidden_layers": 2,
        "torch_dtype": "float32",
        "decoder_config": {
            "model_type": "qwen2", "hidden_size": 32, "num_hidden_layers": 4, "num_attention_heads": 4,
            "num_key_value_heads": 2, "intermediate_size": 64, "vocab_size": 320, "max_position_embeddings": 64,
            "rope_theta": 10000.0, "rms_norm_eps": 1e-6, "hidden_act": "silu", "tie_word_embeddings": False,
            "use_sliding_window": False, "max_window_layers": 4,
        },
        "diffusion_head_config": {
            "hidden_size": 32, "head_layers": 2, "head_ffn_ratio": 3.0, "rms_norm_eps": 1e-5, "latent_size": 64,
            "speech_vae_dim": 64, "prediction_type": "v_prediction", "diffusion_type": "ddpm",
            "ddpm_num_steps": 1000, "ddpm_num_inference_steps": 20, "ddpm_beta_schedule": "cosine",
            "ddpm_batch_mul": 4,
        },
        "acoustic_tokenizer_config": {
            "channels": 1, "vae_dim": 64, "causal": True, "fix_std": 0.5, "std_dist_type": "gaussian",
            "mixer_layer": "depthwise_conv", "conv_norm": "none", "pad_mode": "constant", "disable_last_norm": True,
            "layernorm": "RMSNorm", "layernorm_eps": 1e-5, "layernorm_elementwise_affine": True, "conv_bias": True,
            "layer_scale_init_value": 1e-6, "weight_init_value": 0.01, "encoder_n_filters": 1,
            "encoder_ratios": [8, 5, 5, 4, 2, 2], "encoder_depths": "1-1-1-1-1-1-2", "decoder_n_filters": 1,
            "decoder_ratios": [8, 5, 5, 4, 2, 2], "decoder_depths": None, "corpus_normalize": 0.0,
        },
    }


def randomize(model, gen):
    with torch.no_grad():
        for name, p in model.named_parameters():
            if "norm" in name and name.endswith("weight") and p.dim() == 1:
                p.copy_(1 + 0.1 * torch.randn(p.shape, generator=gen))
            elif name.endswith("gamma"):
                p.copy_(0.5 * torch.randn(p.shape, generator=gen))
            else:
                fan_in = p.shape[1] if p.dim() > 1 else 1
                scale = 0.5 / max(1, fan_in) ** 0.5 if p.dim() > 1 else 0.05
                p.copy_(scale * torch.randn(p.shape, generator=gen))
        # the σ-VAE convs need larger weights for audible (non-vanishing) output
        for name, p in model.model.acoustic_tokenizer.named_parameters():
            if p.dim() == 3:
                p.mul_(2.0)
        # ... which then peaks in the thousands: scale the last conv so the audio lies in [-1, 1] like speech, and
        # a 16-bit WAV of it can be compared with the reference sample by sample (test_speak_cli.py).
        head = model.model.acoustic_tokenizer.decoder.head
        for p in head.parameters():
            p.mul_(1e-4)
        model.model.speech_scaling_factor.copy_(torch.tensor(0.2333984375))
        model.model.speech_bias_factor.copy_(torch.tensor(-0.0703125))


def group(out):
    return BaseModelOutputWithPast(last_hidden_state=out.last_hidden_state.to(torch.bfloat16),
                                   past_key_values=bf16_cache(out.past_key_values))


def bf16_cache(cache):
    c = DynamicCache()
    for i in range(len(cache.key_cache)):
        c.update(cache.key_cache[i].to(torch.bfloat16), cache.value_cache[i].to(torch.bfloat16), i)
    return c


def make_preset(model, gen):
    """Runs the tiny stacks on random embeddings (as the unreleased preset builder would on a prompt)."""
    m = model.model
    with torch.no_grad():
        lm = m.language_model(inputs_embeds=torch.randn(1, L_LM, 32, generator=gen), use_cache=True)
        tts = m.tts_language_model(inputs_embeds=torch.randn(1, L_TTS, 32, generator=gen), use_cache=True)
        neg_lm = m.language_model(inputs_embeds=torch.randn(1, 1, 32, generator=gen), use_cache=True)
        neg_tts = m.tts_language_model(inputs_embeds=torch.randn(1, 1, 32, generator=gen), use_cache=True)
    return {"lm": group(lm), "tts_lm": group(tts), "neg_lm": group(neg_lm), "neg_tts_lm": group(neg_tts)}


def fp32_preset(preset):
    out = {}
    for k, g in preset.items():
        c = DynamicCache()
        for i in range(len(g.past_key_values.key_cache)):
            c.update(g.past_key_values.key_cache[i].float(), g.past_key_values.value_cache[i].float(), i)
        out[k] = BaseModelOutputWithPast(last_hidden_state=g.last_hidden_state.float(), past_key_values=c)
    return out


class Tok:
    bos_token_id = None
    eos_token_id = 301
    pad_token_id = 302
    speech_start_id = 303
    speech_end_id = 304
    speech_diffusion_id = 305

    def convert_tokens_to_ids(self, token):
        assert token == "<|image_pad|>"
        return PAD_ID


def run(model, preset, noise_gen, max_new_tokens):
    noises, latents = [], []
    real_randn = torch.randn

    def fake_randn(*shape, **kw):
        x = real_randn(*shape, generator=noise_gen)
        noises.append(x[0].clone())
        return x

    original = model.sample_speech_tokens

    def sample(c, n, cfg_scale=3.0):
        z = original(c, n, cfg_scale=cfg_scale)
        latents.append(z[0].clone())
        return z

    model.sample_speech_tokens = sample
    torch.randn = fake_randn
    try:
        kwargs = {}
        if max_new_tokens is not None:
            kwargs["max_new_tokens"] = max_new_tokens
        with torch.no_grad():
            out = model.generate(
                input_ids=torch.full((1, L_LM), PAD_ID), attention_mask=torch.ones(1, L_LM, dtype=torch.long),
                tts_lm_input_ids=torch.full((1, L_TTS), PAD_ID),
                tts_lm_attention_mask=torch.ones(1, L_TTS, dtype=torch.long),
                tts_text_ids=torch.tensor([TEXT_IDS]), all_prefilled_outputs=fp32_preset(preset),
                tokenizer=Tok(), cfg_scale=CFG, return_speech=True, show_progress_bar=False, **kwargs)
    finally:
        torch.randn = real_randn
        model.sample_speech_tokens = original
    audio = out.speech_outputs[0].reshape(-1)
    return torch.stack(noises), torch.stack(latents), audio


def bytes_to_unicode():
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + list(range(ord("®"), ord("ÿ") + 1))
    cs, n = bs[:], 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, [chr(c) for c in cs]))


def write_tokenizer():
    src = json.loads((ROOT / "Tests/VVTextTests/Fixtures/tokenizer.json").read_text())
    table = bytes_to_unicode()
    src["model"]["vocab"] = {table[b]: b for b in range(256)}
    src["model"]["merges"] = []
    added = src["added_tokens"]
    src["added_tokens"] = [dict(added[0], id=256)] + [dict(t, id=257 + i) for i, t in enumerate(added[1:41])]
    (OUT / "tokenizer.json").write_text(json.dumps(src))


def main():
    torch.manual_seed(0)
    gen = torch.Generator().manual_seed(1234)
    cfg = VibeVoiceStreamingConfig(**config())
    model = VibeVoiceStreamingForConditionalGenerationInference(cfg).float().eval()
    model.set_ddpm_inference_steps(STEPS)
    randomize(model, gen)
    preset = make_preset(model, gen)

    # EOS bias chosen so that the classifier fires after some frames: search in the script, record the result.
    expected = {"text_ids": torch.tensor(TEXT_IDS, dtype=torch.int32)}
    chosen = None
    for bias in [x * 0.25 for x in range(-40, 40)]:
        with torch.no_grad():
            model.tts_eos_classifier.fc2.bias.fill_(bias)
        noise, lat, audio = run(model, preset, torch.Generator().manual_seed(99), None)
        if 9 <= lat.shape[0] <= 16 and audio.numel() // 3200 < lat.shape[0] + 1:
            chosen = (bias, noise, lat, audio)
            break
    assert chosen is not None, "no EOS bias stops in 9...16 frames"
    bias, noise, lat, audio = chosen
    frames = audio.numel() // 3200
    print(f"eos run: bias {bias}, {lat.shape[0]} latents sampled, {frames} frames kept")
    expected.update({"eos.noise": noise[:frames], "eos.latents": lat[:frames], "eos.audio": audio,
                     "eos.meta": torch.tensor([frames, STEPS, -1], dtype=torch.int32)})
    cap = 9  # 12 text tokens would need 12: the cap hits during the second text window
    noise, lat, audio = run(model, preset, torch.Generator().manual_seed(7), cap)
    frames = audio.numel() // 3200
    print(f"cap run: {lat.shape[0]} latents, {frames} frames")
    expected.update({"cap.noise": noise[:frames], "cap.latents": lat[:frames], "cap.audio": audio,
                     "cap.meta": torch.tensor([frames, STEPS, cap], dtype=torch.int32)})

    OUT.mkdir(parents=True, exist_ok=True)
    sd = {k: v.detach().contiguous().float() for k, v in model.state_dict().items()
          if not k.startswith("model.acoustic_tokenizer.encoder.") and not k.startswith("lm_head")}
    sd = {k: v for k, v in sd.items() if k != "model.language_model.norm.weight"}
    save_file(sd, str(OUT / "model.safetensors"), metadata={"format": "pt"})
    (OUT / "config.json").write_text(json.dumps(config(), indent=1))
    torch.save(preset, str(OUT / "voice.pt"))
    write_tokenizer()
    save_file({k: v.contiguous() for k, v in expected.items()}, str(OUT / "expected.safetensors"))
    for f in sorted(OUT.iterdir()):
        print(f.name, f.stat().st_size)


if __name__ == "__main__":
    main()
