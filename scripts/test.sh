#!/usr/bin/env bash
# The project's test command: Swift unit/integration tests, then the acceptance tests (real `openai` client and curl
# against `vibevoice serve --test-doubles` on loopback). Creates .venv with the pinned Python packages if missing.
set -euo pipefail
cd "$(dirname "$0")/.."

swift build --build-tests
swift test --skip-build

if [ ! -x .venv/bin/python ]; then
    python3 -m venv .venv
    .venv/bin/pip install --quiet --disable-pip-version-check -r Tests/Acceptance/requirements.txt
fi
VIBEVOICE_BIN="$PWD/.build/debug/vibevoice" .venv/bin/python -m pytest -q -p no:cacheprovider Tests/Acceptance
