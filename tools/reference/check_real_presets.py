#!/usr/bin/env python3
"""Hand check (not a test): the Swift reader reads real upstream presets exactly as torch does.

    swift build
    /work/venv-ref/bin/python tools/reference/check_real_presets.py /work/shared/data/voices/*.pt

For each file, runs `vibevoice voices inspect --stats --json` and compares every tensor's path, dtype, shape,
CRC-32 of its raw row-major bytes and float64 sum with `torch.load(weights_only=False)`.
"""

import json
import subprocess
import sys
import zlib
from pathlib import Path

import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
from make_voice_fixtures import walk  # noqa: E402

BINARY = Path(__file__).resolve().parents[2] / ".build/debug/vibevoice"


def main(paths):
    failures = 0
    for path in paths:
        out = subprocess.run([str(BINARY), "voices", "inspect", "--stats", "--json", path], check=True,
                             capture_output=True, text=True).stdout
        swift = json.loads(out)
        rows = {r["path"]: r for r in swift["tensors"]}
        ref = torch.load(path, map_location="cpu", weights_only=False)
        count = elements = bad = 0
        for tpath, t in walk(ref):
            r = rows.get(tpath)
            crc = "%08x" % zlib.crc32(t.contiguous().reshape(-1).view(torch.uint8).numpy().tobytes())
            total = t.double().sum().item()
            ok = (r is not None and r["dtype"] == str(t.dtype).removeprefix("torch.") and r["shape"] == list(t.shape)
                  and r["crc32"] == crc and abs(r["sum"] - total) <= 1e-9 * max(1.0, abs(total)))
            count += 1
            elements += t.numel()
            if not ok:
                bad += 1
                print(f"MISMATCH {path} {tpath}: swift {r}, torch crc32 {crc} sum {total}")
        if count != len(rows):
            bad += 1
            print(f"MISMATCH {path}: torch has {count} tensors, swift {len(rows)}")
        failures += bad
        print(f"{Path(path).name}: {count} tensors, {elements} elements, {bad} mismatches, preset {swift['preset']}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
