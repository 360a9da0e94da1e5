"""Reference fixtures for the CPU backend's conv1d / convTranspose1d / modulate / timestepEmbedding ops.

torch.nn.functional.conv1d and conv_transpose1d in fp32 (the ops upstream's SConv1d / SConvTranspose1d wrap, with
padding applied outside the conv), on small seeded random tensors: plain, depthwise with causal left padding, strided,
dilated, and grouped transposed cases; upstream `TimestepEmbedder.timestep_embedding` (microsoft/VibeVoice
`vibevoice/modular/modular_vibevoice_diffusion_head.py`, /tmp/vv on PYTHONPATH) for the DPM timesteps.

Usage: PYTHONPATH=/tmp/vv /work/venv-ref/bin/python tools/reference/make_op_fixtures.py
Output: Tests/VVComputeCPUTests/Fixtures/op_trace.safetensors
"""
import os

import torch
import torch.nn.functional as F
from safetensors.torch import save_file

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "..", "Tests", "VVComputeCPUTests", "Fixtures", "op_trace.safetensors")

g = torch.Generator().manual_seed(99)
r = lambda *shape: torch.randn(shape, generator=g)
t = {}

# name: (x shape, weight shape, stride, dilation, groups, causal left pad)
convs = {
    "plain": ((2, 6, 20), (4, 6, 7), 1, 1, 1, 0),
    "depthwise_causal": ((2, 6, 20), (6, 1, 7), 1, 1, 6, 6),
    "strided": ((1, 4, 33), (8, 4, 8), 4, 1, 1, 0),
    "dilated_grouped": ((2, 4, 25), (6, 2, 3), 2, 3, 2, 0),
}
for name, (xs, ws, stride, dilation, groups, pad) in convs.items():
    x, w, b = r(*xs), r(*ws), r(ws[0])
    y = F.conv1d(F.pad(x, (pad, 0)), w, b, stride=stride, dilation=dilation, groups=groups)
    t.update({f"conv.{name}.x": x, f"conv.{name}.w": w, f"conv.{name}.b": b, f"conv.{name}.y": y})

# name: (x shape, weight shape, stride, groups)
transposed = {
    "upsample": ((2, 6, 5), (6, 4, 8), 4, 1),
    "grouped": ((1, 4, 6), (4, 3, 3), 2, 2),
}
for name, (xs, ws, stride, groups) in transposed.items():
    x, w, b = r(*xs), r(*ws), r(ws[1] * groups)
    y = F.conv_transpose1d(x, w, b, stride=stride, groups=groups)
    t.update({f"convT.{name}.x": x, f"convT.{name}.w": w, f"convT.{name}.b": b, f"convT.{name}.y": y})

x, shift, scale = r(3, 8), r(3, 8), r(3, 8)
t.update({"modulate.x": x, "modulate.shift": shift, "modulate.scale": scale, "modulate.y": x * (1 + scale) + shift})
from vibevoice.modular.modular_vibevoice_diffusion_head import TimestepEmbedder

steps = torch.tensor([999.0, 799.0, 599.0, 400.0, 200.0, 0.0, 1000.0, 12.5])
t.update({"timestep.t": steps, "timestep.y": TimestepEmbedder.timestep_embedding(steps, 256)})
save_file({k: v.contiguous() for k, v in t.items()}, OUT)
print("wrote", os.path.normpath(OUT), os.path.getsize(OUT))
