#!/usr/bin/env python3
"""Makes the fixtures of the torch `.pt` reader and voice-preset tests.

Run with the reference venv (torch 2.13, transformers 4.51.3):

    /work/venv-ref/bin/python tools/reference/make_voice_fixtures.py

Writes into Tests/VVModelFilesTests/Torch/Fixtures/ (and copies the tiny preset into
Tests/VVPipelinesTests/Voices/Fixtures/):

- tiny_preset.pt       a voice preset in exactly the upstream structure (dict of four
                       BaseModelOutputWithPast holding real DynamicCache objects, bf16), tiny sizes:
                       base LM 2 layers, TTS LM 3 layers, 2 KV heads, head_dim 4, hidden 8;
                       prompt lengths lm 3, tts_lm 5, neg_lm 1, neg_tts_lm 1.
- mixed.pt             plain data and tensors of every dtype, views (offset, transposed, shared
                       storage), 0-d and empty tensors, an OrderedDict, a big int.
- mixed_deflate.pt     mixed.pt re-zipped with deflate compression (no zip64 records).
- preset_f32.pt        tiny preset with float32 tensors (wrong dtype for a bf16 expectation).
- preset_wrong_layers.pt   tiny preset whose tts_lm cache has 2 layers instead of 3.
- preset_wrong_seen.pt     tiny preset whose lm cache says _seen_tokens 7 for 3 positions.
- evil_system.pt       torch.save of an object whose __reduce__ is os.system (global posix/nt system).
- evil_eval.pt         hand-written pickle calling builtins.eval.
- unknown_global.pt    torch.save of a datetime.date (harmless but not allowed).
- bad_storage_small.pt a tensor whose shape needs 12 elements in a 6-element storage.
- bad_storage_file.pt  a storage record of 8 elements whose data file holds 7.
- bad_stride_overflow.pt   a tensor whose strides overflow 64 bits.
- truncated.pt         tiny_preset.pt cut to 60 % of its length.
- expected.json        for every tensor of the valid files: path, dtype, shape, strides, the raw
                       row-major little-endian bytes as hex, and (float types) the values.

Upstream writes the presets from CUDA; location strings do not matter to the reader.
"""

import collections
import datetime
import io
import json
import os
import pickle
import shutil
import zipfile
from pathlib import Path

import torch
from transformers.cache_utils import DynamicCache
from transformers.modeling_outputs import BaseModelOutputWithPast

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "Tests/VVModelFilesTests/Torch/Fixtures"
PIPE_OUT = ROOT / "Tests/VVPipelinesTests/Voices/Fixtures"

BASE_LAYERS, TTS_LAYERS, KV_HEADS, HEAD_DIM, HIDDEN = 2, 3, 2, 4, 8
LENGTHS = {"lm": 3, "tts_lm": 5, "neg_lm": 1, "neg_tts_lm": 1}


def group(gen, layers, length, dtype, seen=None):
    cache = DynamicCache()
    for i in range(layers):
        k = torch.randn(1, KV_HEADS, length, HEAD_DIM, generator=gen).to(dtype)
        v = torch.randn(1, KV_HEADS, length, HEAD_DIM, generator=gen).to(dtype)
        cache.update(k, v, i)
    if seen is not None:
        cache._seen_tokens = seen
    hidden = (torch.randn(1, length, HIDDEN, generator=gen) * 3).to(dtype)
    return BaseModelOutputWithPast(last_hidden_state=hidden, past_key_values=cache)


def preset(seed, dtype=torch.bfloat16, tts_layers=TTS_LAYERS, seen=None):
    gen = torch.Generator().manual_seed(seed)
    layers = {"lm": BASE_LAYERS, "tts_lm": tts_layers, "neg_lm": BASE_LAYERS, "neg_tts_lm": TTS_LAYERS}
    return {
        name: group(gen, layers[name], LENGTHS[name], dtype, seen if name == "lm" else None)
        for name in ["lm", "tts_lm", "neg_lm", "neg_tts_lm"]
    }


def mixed():
    gen = torch.Generator().manual_seed(7)
    base = torch.randn(4, 6, generator=gen)
    shared = torch.arange(10, dtype=torch.float32) * 0.5 - 2
    halves = torch.tensor([0.0, -0.0, 1.0, -2.5, 65504.0, 6.1e-5, 5.96e-8, 3.0e-7], dtype=torch.float16)
    return {
        "bf16": (torch.randn(2, 3, generator=gen) * 100).bfloat16(),
        "f16": halves,
        "f32": base,
        "f64": torch.randn(3, generator=gen).double(),
        "i64": torch.tensor([[-(2**40), 5], [7, 2**62]], dtype=torch.int64),
        "i32": torch.tensor([-1, 2, -3], dtype=torch.int32),
        "i16": torch.tensor([-300, 300], dtype=torch.int16),
        "i8": torch.tensor([-128, 127], dtype=torch.int8),
        "u8": torch.tensor([0, 255, 17], dtype=torch.uint8),
        "flags": torch.tensor([True, False, True]),
        "scalar": torch.tensor(3.25),
        "empty": torch.zeros(0, 3),
        "transposed": base.t(),
        "offset_view": shared[3:8],
        "strided_view": shared[1::3],
        "shared_a": shared,
        "shared_b": shared.view(2, 5),
        "numbers": [1, -1, 300, 70000, -(2**31), 2**63 - 1, -(2**63), 1.5, -0.0, True, False, None],
        "text": "héllo ✓",
        "pair": (1, "two", [3.0]),
        "ordered": collections.OrderedDict([("z", 1), ("a", 2)]),
        "nested": {"inner": {"deep": [torch.ones(2, dtype=torch.bfloat16)]}},
        3: "int key",
    }


def walk(value, path=""):
    """Yields (path, tensor) in the reader's path format: keys joined by '.', list items as [i]."""
    def join(key):
        return str(key) if not path else f"{path}.{key}"

    if isinstance(value, torch.Tensor):
        yield path, value
    elif isinstance(value, BaseModelOutputWithPast):
        for key in ["last_hidden_state", "past_key_values", "hidden_states", "attentions"]:
            yield from walk(getattr(value, key), join(key))
    elif isinstance(value, DynamicCache):
        for key, item in vars(value).items():
            yield from walk(item, join(key))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from walk(item, join(key))
    elif isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            yield from walk(item, f"{path}[{i}]")


def describe(value):
    out = []
    for path, t in walk(value):
        entry = {
            "path": path,
            "dtype": str(t.dtype).removeprefix("torch."),
            "shape": list(t.shape),
            "strides": list(t.stride()),
            "hex": t.contiguous().reshape(-1).view(torch.uint8).numpy().tobytes().hex() if t.numel() else "",
        }
        if t.dtype.is_floating_point:
            entry["values"] = [float(x) for x in t.double().flatten().tolist()]
        out.append(entry)
    return out


def torch_zip(path, pickle_bytes, storages, folder="archive"):
    """Writes a torch-style zip (stored members) with the given data.pkl and storages."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as z:
        z.writestr(f"{folder}/data.pkl", pickle_bytes)
        z.writestr(f"{folder}/byteorder", "little")
        for key, data in storages.items():
            z.writestr(f"{folder}/data/{key}", data)
        z.writestr(f"{folder}/version", "3\n")


class FakeStorage:
    def __init__(self, key, numel, cls=torch.BFloat16Storage):
        self.key, self.numel, self.cls = key, numel, cls


class FakeTensor:
    """Pickles like a tensor (torch's own reduce), with whatever shape/stride/offset we like."""

    def __init__(self, storage, offset, size, stride):
        self.args = (storage, offset, size, stride, False, collections.OrderedDict())

    def __reduce__(self):
        return (torch._utils._rebuild_tensor_v2, self.args)


class TorchLikePickler(pickle.Pickler):
    def persistent_id(self, obj):
        if isinstance(obj, FakeStorage):
            return ("storage", obj.cls, obj.key, "cpu", obj.numel)
        return None


def fake_file(path, value, storages):
    buf = io.BytesIO()
    TorchLikePickler(buf, protocol=2).dump(value)
    torch_zip(path, buf.getvalue(), storages)


class Evil:
    def __reduce__(self):
        return (os.system, ("touch /tmp/vibevoice_fixture_pwned",))


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    PIPE_OUT.mkdir(parents=True, exist_ok=True)
    expected = {}

    tiny = preset(1)
    torch.save(tiny, OUT / "tiny_preset.pt")
    expected["tiny_preset.pt"] = describe(tiny)
    shutil.copy(OUT / "tiny_preset.pt", PIPE_OUT / "tiny_preset.pt")

    m = mixed()
    torch.save(m, OUT / "mixed.pt")
    expected["mixed.pt"] = describe(m)
    with zipfile.ZipFile(OUT / "mixed.pt") as src, zipfile.ZipFile(
        OUT / "mixed_deflate.pt", "w", zipfile.ZIP_DEFLATED, compresslevel=9
    ) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, src.read(info.filename))
    expected["mixed_deflate.pt"] = expected["mixed.pt"]

    torch.save(preset(2, dtype=torch.float32), OUT / "preset_f32.pt")
    torch.save(preset(3, tts_layers=2), OUT / "preset_wrong_layers.pt")
    torch.save(preset(4, seen=7), OUT / "preset_wrong_seen.pt")

    torch.save({"lm": Evil()}, OUT / "evil_system.pt")
    evil = b"\x80\x02cbuiltins\neval\nq\x00X\x1b\x00\x00\x00__import__('os').system('id')q\x01\x85q\x02Rq\x03."
    torch_zip(OUT / "evil_eval.pt", evil, {})
    torch.save({"when": datetime.date(2024, 1, 2)}, OUT / "unknown_global.pt")

    six = torch.arange(6, dtype=torch.float32).bfloat16().view(torch.uint8).numpy().tobytes()
    fake_file(OUT / "bad_storage_small.pt", {"t": FakeTensor(FakeStorage("0", 6), 0, (3, 4), (4, 1))}, {"0": six})
    fake_file(OUT / "bad_storage_file.pt", {"t": FakeTensor(FakeStorage("0", 8), 0, (8,), (1,))}, {"0": b"\0" * 14})
    fake_file(
        OUT / "bad_stride_overflow.pt",
        {"t": FakeTensor(FakeStorage("0", 6), 0, (3, 2), (2**62, 2**62))},
        {"0": six},
    )

    data = (OUT / "tiny_preset.pt").read_bytes()
    (OUT / "truncated.pt").write_bytes(data[: len(data) * 6 // 10])

    with open(OUT / "expected.json", "w") as f:
        json.dump(expected, f, indent=1, sort_keys=True)
    for p in sorted(OUT.iterdir()):
        print(f"{p.stat().st_size:8d}  {p.name}")


if __name__ == "__main__":
    main()
