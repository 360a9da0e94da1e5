#!/usr/bin/env python3
"""Regenerates README.md's configuration table from `vibevoice serve --list-config-keys`.

Usage: python3 scripts/update_readme_config.py [path/to/vibevoice]   (default .build/debug/vibevoice)
Keys the model engines read (validated now, used as the engines land) are marked with †.
"""
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BINARY = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, ".build", "debug", "vibevoice")
ENGINE_KEYS = {"device.backend", "device.gpu_id", "device.threads", "paths.voices", "paths.cache", "paths.models",
               "server.download_models", "models.asr.max_new_tokens", "models.asr.top_p"}
ENGINE_SUFFIXES = (".path", ".tokenizer", ".dtype", ".cfg_scale", ".inference_steps")

table = subprocess.run([BINARY, "serve", "--list-config-keys"], capture_output=True, text=True, check=True).stdout
lines = []
for line in table.strip().split("\n"):
    if line.startswith("| `"):
        key = line.split("`")[1]
        if key in ENGINE_KEYS or key.endswith(ENGINE_SUFFIXES):
            line = line.replace(f"| `{key}` |", f"| `{key}` † |", 1)
    lines.append(line)

path = os.path.join(ROOT, "README.md")
text = open(path).read()
begin = text.index("\n", text.index("<!-- config-keys:begin")) + 1
end = text.index("<!-- config-keys:end")
open(path, "w").write(text[:begin] + "\n".join(lines) + "\n" + text[end:])
