#!/usr/bin/env bash
# Runs every CUDA kernel (Sources/VVComputeCUDA/Kernels) on the CPU under a small host emulation of the CUDA
# execution model (Tests/VVComputeCUDATests/Emulation/cuda_host.h) and compares it with the CPU backend's C kernels.
# Needs only a C/C++20 compiler (the Swift toolchain's clang works); no GPU, no CUDA. Exits non-zero on a mismatch.
set -euo pipefail
cd "$(dirname "$0")/.."
CC=${CC:-clang}
CXX=${CXX:-clang++}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
kernels=Sources/VVComputeCUDA/Kernels
# The kernels' extern "C" names would clash with the CPU kernels' C functions: drop the linkage, keep the C++ names.
{ cat "$kernels/common.cuh"; for f in "$kernels"/*.cu; do echo; cat "$f"; done; } | sed 's/extern "C" //' > "$work/kernels_host.inc"
for c in Sources/CVVKernels/*.c; do
    "$CC" -std=c11 -O2 -c -I Sources/CVVKernels/include "$c" -o "$work/$(basename "$c" .c).o"
done
"$CXX" -std=c++20 -O2 -pthread -w -I "$work" -I Sources/CVVKernels/include -I Tests/VVComputeCUDATests/Emulation \
    Tests/VVComputeCUDATests/Emulation/emulate_kernels.cpp "$work"/*.o -lm -o "$work/emulate"
"$work/emulate"
