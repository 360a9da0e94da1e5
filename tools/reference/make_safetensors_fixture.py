"""Write a small safetensors file with the reference `safetensors` library, for the Swift reader's interop test.

Usage: /work/venv-ref/bin/python tools/reference/make_safetensors_fixture.py
Output: Tests/VVModelFilesTests/Fixtures/python_written.safetensors (deterministic; values listed in the test).
"""
import os

import torch
from safetensors.torch import save_file

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "..", "Tests", "VVModelFilesTests", "Fixtures", "python_written.safetensors")

tensors = {
    "a.f32": torch.tensor([[1.0, -2.5, 3.25], [0.0, 1e-3, -65504.0]], dtype=torch.float32),
    "b.bf16": torch.tensor([1.0, -2.0, 0.5, 3.140625], dtype=torch.bfloat16),
    "c.f16": torch.tensor([[1.0, -0.0999755859375], [65504.0, 5.960464477539063e-08]], dtype=torch.float16),
    "d.i64": torch.tensor([151643, -1, 0], dtype=torch.int64),
    "e.scalar": torch.tensor(0.1875, dtype=torch.float32),
    "f.i32": torch.tensor([[7, 8]], dtype=torch.int32),
}
save_file(tensors, OUT, metadata={"format": "pt"})
print("wrote", os.path.normpath(OUT))
