#!/usr/bin/env bash
# The project's test command: the Swift unit/integration tests, the CUDA kernels on the CPU (an emulation of the
# CUDA execution model, then the CUDA backend end to end on a stand-in driver; no GPU needed), then the acceptance
# tests (real `openai` client and curl against `vibevoice serve --test-doubles` on loopback). Keeps .venv with the
# pinned Python packages (the acceptance client, and NVRTC from PyPI for the kernel compilation tests).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -x .venv/bin/python ]; then python3 -m venv .venv; fi
.venv/bin/pip install --quiet --disable-pip-version-check -r Tests/Acceptance/requirements.txt

swift build --build-tests
swift test --skip-build
bash scripts/emulate_cuda_kernels.sh
bash scripts/fake_cuda_driver.sh

VIBEVOICE_BIN="$PWD/.build/debug/vibevoice" .venv/bin/python -m pytest -q -p no:cacheprovider Tests/Acceptance
