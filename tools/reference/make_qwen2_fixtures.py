"""Reference fixtures for the Swift Qwen2 decoder (VVModelsTests), made with the upstream classes in fp32.

Builds two tiny random-weight models, seeded and deterministic:

1. `qwen2_causal_lm`: transformers 4.51.3 `Qwen2ForCausalLM` (untied lm_head), the shape of the 1.5B/7B/ASR LM.
   Prefill of 7 ids, then 3 greedy decode steps; every layer's attention output, MLP output and layer output, the
   final norm, the logits, the argmax, and the argmax restricted to 4 allowed ids. Then the same model with its
   weights rounded to bf16 and saved as a BF16 checkpoint (`qwen2_causal_lm_bf16*`), prefill and one decode step.
2. `realtime_split`: upstream `VibeVoiceStreamingModel` (microsoft/VibeVoice, /tmp/vv on PYTHONPATH) with a
   5-layer decoder split into a 2-layer base LM (norm = Identity) and a 3-layer TTS LM, saved in the real checkpoint
   layout (`model.language_model.*`, `model.tts_language_model.*`). Base prefill from ids; TTS prefill from
   embeddings (base output + tts_input_types[1]); 2 TTS decode steps from random embeddings (speech latents enter as
   embeddings); the TTS KV cache after prefill (post-RoPE keys, HF layout [1, kv_heads, len, head_dim]) for seeding.
3. `rope_trace`: transformers' `Qwen2RotaryEmbedding` + `apply_rotary_pos_emb` (theta 1e6, head_dim 64 and 128)
   at positions up to 65535.

Usage (from the package root):
    PYTHONPATH=/tmp/vv /work/venv-ref/bin/python tools/reference/make_qwen2_fixtures.py
Outputs go to Tests/VVModelsTests/Fixtures/ (weights and traces as separate safetensors files).
"""
import os
import sys

import torch
from safetensors.torch import save_file
from transformers import Qwen2Config, Qwen2ForCausalLM
from transformers.cache_utils import DynamicCache

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "..", "Tests", "VVModelsTests", "Fixtures")
DECODER = dict(
    model_type="qwen2", vocab_size=96, hidden_size=64, intermediate_size=100, num_attention_heads=4,
    num_key_value_heads=2, rope_theta=1e6, rms_norm_eps=1e-6, max_position_embeddings=256, sliding_window=None,
    use_sliding_window=False, tie_word_embeddings=False,
)


def randomize(module, generator):
    """Replaces every parameter with N(0, 0.1) values (norm weights 1 + N(0, 0.1)) so activations are O(1)."""
    with torch.no_grad():
        for name, p in module.named_parameters():
            values = torch.randn(p.shape, generator=generator) * 0.1
            p.copy_(values + 1.0 if name.endswith("norm.weight") else values)


class Recorder:
    """Forward hooks recording embeddings, each layer's attention/MLP/output, and the final norm."""

    def __init__(self, model, prefix=""):
        self.values = {}
        self.step = ""
        model.embed_tokens.register_forward_hook(lambda m, i, o: self.put("embeddings", o))
        for index, layer in enumerate(model.layers):
            layer.self_attn.register_forward_hook(lambda m, i, o, n=index: self.put(f"layers.{n}.self_attn", o[0]))
            layer.mlp.register_forward_hook(lambda m, i, o, n=index: self.put(f"layers.{n}.mlp", o))
            layer.register_forward_hook(lambda m, i, o, n=index: self.put(f"layers.{n}", o[0]))
        if isinstance(model.norm, torch.nn.Module) and not isinstance(model.norm, torch.nn.Identity):
            model.norm.register_forward_hook(lambda m, i, o: self.put("norm", o))

    def put(self, name, tensor):
        self.values[f"{self.step}.{name}"] = tensor.detach()[0].clone().contiguous()


def causal_lm():
    generator = torch.Generator().manual_seed(1234)
    config = Qwen2Config(num_hidden_layers=3, **{k: v for k, v in DECODER.items() if k != "model_type"})
    model = Qwen2ForCausalLM(config).eval()
    randomize(model, generator)
    weights = {k: v.contiguous() for k, v in model.state_dict().items()}
    save_file(weights, os.path.join(OUT, "qwen2_causal_lm.safetensors"))

    rec = Recorder(model.model)
    trace = {}
    allowed = torch.tensor([5, 17, 42, 60])
    ids = torch.randint(0, 96, (1, 7), generator=generator)
    cache = DynamicCache()
    with torch.no_grad():
        for step in range(4):
            rec.step = "prefill" if step == 0 else f"decode{step - 1}"
            out = model(input_ids=ids, past_key_values=cache, use_cache=True)
            logits = out.logits[0]
            trace[f"{rec.step}.input_ids"] = ids[0].to(torch.int32)
            trace[f"{rec.step}.logits"] = logits.contiguous()
            trace[f"{rec.step}.argmax"] = logits.argmax(-1).to(torch.int32)
            masked = torch.full_like(logits, float("-inf"))
            masked[:, allowed] = logits[:, allowed]
            trace[f"{rec.step}.allowed_argmax"] = masked.argmax(-1).to(torch.int32)
            ids = logits[-1:].argmax(-1)[None]
    trace.update(rec.values)
    trace["allowed"] = allowed.to(torch.int32)
    save_file(trace, os.path.join(OUT, "qwen2_causal_lm_trace.safetensors"))

    # The same model with every weight rounded to bf16 (computation still fp32), saved as a BF16 checkpoint: proves
    # the bf16 weight path end to end. Same input ids as above, prefill and one decode step.
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(p.bfloat16().float())
    save_file({k: v.bfloat16().contiguous() for k, v in model.state_dict().items()},
              os.path.join(OUT, "qwen2_causal_lm_bf16.safetensors"))
    rec.values = {}
    bf16_trace = {}
    cache = DynamicCache()
    with torch.no_grad():
        for step in ["prefill", "decode0"]:
            rec.step = step
            ids = trace[f"{step}.input_ids"].long()[None]
            out = model(input_ids=ids, past_key_values=cache, use_cache=True)
            bf16_trace[f"{step}.input_ids"] = ids[0].to(torch.int32)
            bf16_trace[f"{step}.logits"] = out.logits[0].contiguous()
    bf16_trace.update({k: v for k, v in rec.values.items() if k.endswith((".norm", ".layers.2"))})
    save_file(bf16_trace, os.path.join(OUT, "qwen2_causal_lm_bf16_trace.safetensors"))


def realtime_split():
    from vibevoice.modular.configuration_vibevoice_streaming import VibeVoiceStreamingConfig
    from vibevoice.modular.modeling_vibevoice_streaming import VibeVoiceStreamingModel

    generator = torch.Generator().manual_seed(5678)
    config = VibeVoiceStreamingConfig(
        decoder_config=dict(num_hidden_layers=5, **DECODER),
        acoustic_tokenizer_config=dict(
            vae_dim=8, encoder_n_filters=2, encoder_ratios=[2, 2], encoder_depths="1-1-1", decoder_n_filters=2),
        diffusion_head_config=dict(hidden_size=64, head_layers=1, latent_size=8, speech_vae_dim=8),
        tts_backbone_num_hidden_layers=3, torch_dtype="float32")
    model = VibeVoiceStreamingModel(config).eval()
    randomize(model, generator)
    weights = {
        "model." + k: v.contiguous() for k, v in model.state_dict().items()
        if k.startswith(("language_model.", "tts_language_model.", "tts_input_types."))
    }
    save_file(weights, os.path.join(OUT, "realtime_split.safetensors"))

    base, tts = model.language_model, model.tts_language_model
    base_rec, tts_rec = Recorder(base), Recorder(tts)
    trace = {}
    ids = torch.randint(0, 96, (1, 6), generator=generator)
    with torch.no_grad():
        base_rec.step = "base.prefill"
        base_out = base(input_ids=ids, past_key_values=DynamicCache(), use_cache=True).last_hidden_state
        trace["base.prefill.input_ids"] = ids[0].to(torch.int32)
        trace["base.prefill.output"] = base_out[0].contiguous()
        tts_input = base_out + model.tts_input_types.weight[1]
        cache = DynamicCache()
        tts_rec.step = "tts.prefill"
        out = tts(inputs_embeds=tts_input, past_key_values=cache, use_cache=True).last_hidden_state
        trace["tts.prefill.input"] = tts_input[0].contiguous()
        trace["tts.prefill.output"] = out[0].contiguous()
        for layer in range(len(tts.layers)):
            trace[f"seed.keys.{layer}"] = cache.key_cache[layer][0].contiguous()
            trace[f"seed.values.{layer}"] = cache.value_cache[layer][0].contiguous()
        for step in range(2):
            embeds = torch.randn((1, 1, 64), generator=generator)
            tts_rec.step = f"tts.decode{step}"
            out = tts(inputs_embeds=embeds, past_key_values=cache, use_cache=True).last_hidden_state
            trace[f"tts.decode{step}.input"] = embeds[0].contiguous()
            trace[f"tts.decode{step}.output"] = out[0].contiguous()
    trace.update(base_rec.values)
    trace.update(tts_rec.values)
    save_file(trace, os.path.join(OUT, "realtime_split_trace.safetensors"))


def rope():
    """transformers' Qwen2 rotary embedding at long positions (the 0.5B reaches 8192, the ASR 7B ~65536)."""
    from transformers.models.qwen2.modeling_qwen2 import Qwen2RotaryEmbedding, apply_rotary_pos_emb

    generator = torch.Generator().manual_seed(42)
    positions = torch.tensor([[0, 1, 5, 4095, 8191, 32768, 65535]])
    trace = {"positions": positions[0].to(torch.int32)}
    for head_dim, heads in [(64, 2), (128, 2)]:
        config = Qwen2Config(hidden_size=head_dim * heads, num_attention_heads=heads, rope_theta=1e6,
                             max_position_embeddings=131072)
        rotary = Qwen2RotaryEmbedding(config)
        x = torch.randn((1, heads, positions.shape[1], head_dim), generator=generator)
        cos, sin = rotary(x, positions)
        rotated, _ = apply_rotary_pos_emb(x, x, cos, sin)
        # [1, heads, rows, d] -> [rows, heads * d], the Swift layout
        trace[f"d{head_dim}.input"] = x[0].transpose(0, 1).reshape(positions.shape[1], -1).contiguous()
        trace[f"d{head_dim}.output"] = rotated[0].transpose(0, 1).reshape(positions.shape[1], -1).contiguous()
    save_file(trace, os.path.join(OUT, "rope_trace.safetensors"))


if __name__ == "__main__":
    torch.manual_seed(0)
    os.makedirs(OUT, exist_ok=True)
    causal_lm()
    realtime_split()
    rope()
    for name in sorted(os.listdir(OUT)):
        print(name, os.path.getsize(os.path.join(OUT, name)))
