#!/usr/bin/env bash
# Builds a stand-in libcuda (Tests/VVComputeCUDATests/Emulation/fake_cuda_driver.cpp) that runs the CUDA kernels on
# the CPU under the host emulation, then runs the CUDA backend end to end against it: FakeDriverTests (the whole
# self-test against the CPU backend, the compute layer's conformance harness, the embedded-PTX path) and
# CUDAModelParityTests (Qwen2 fp32/bf16, the tiny σ-VAE decoder and the realtime generation loop against the
# Python-reference fixtures) and FakeDriverGraphTests (graph capture and replay, request streams) load it through
# VV_FAKE_CUDA_DRIVER.
# Needs a C++20 compiler (the Swift toolchain's clang++) and NVRTC for the compile step (VV_NVRTC_LIBRARY or .venv);
# no GPU. Usage: scripts/fake_cuda_driver.sh [output-directory]   (default: .build/fake-cuda); RUN_TESTS=0 only
# builds the library. About 45 s on 2 cores.
set -euo pipefail
cd "$(dirname "$0")/.."
CXX=${CXX:-clang++}
out=${1:-.build/fake-cuda}
mkdir -p "$out"
kernels=Sources/VVComputeCUDA/Kernels
{ cat "$kernels/common.cuh"; for f in "$kernels"/*.cu; do echo; cat "$f"; done; } | sed 's/extern "C" //' > "$out/kernels_host.inc"
"$CXX" -std=c++20 -O2 -pthread -w -fPIC -shared -I "$out" -I Tests/VVComputeCUDATests/Emulation \
    Tests/VVComputeCUDATests/Emulation/fake_cuda_driver.cpp -o "$out/libcuda.so.1"
echo "built $out/libcuda.so.1"
if [ "${RUN_TESTS:-1}" = 1 ]; then
    swift build --build-tests >/dev/null
    VV_FAKE_CUDA_DRIVER="$PWD/$out/libcuda.so.1" swift test --skip-build --filter "FakeDriverTests|FakeDriverGraphTests|CUDAModelParityTests|RealtimeUtteranceCheckTests"
fi
