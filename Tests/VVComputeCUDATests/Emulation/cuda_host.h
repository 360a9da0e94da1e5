/* A tiny CUDA execution model on the host, enough to run the kernels of Sources/VVComputeCUDA/Kernels on a CPU:
 * blocks run one after another, the threads of a block run as real threads, __syncthreads is a block barrier and
 * __shfl_xor_sync exchanges values through a per-warp buffer between two warp barriers. __shared__ variables become
 * function statics, which is one copy per block because blocks never overlap. It checks indexing, reductions and
 * synchronisation logic; it says nothing about GPU memory models, timing or PTX code generation. */
#pragma once
#include <barrier>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <memory>
#include <thread>
#include <vector>

#define VV_HOST_EMULATION 1
#define __global__
#define __device__
#define __forceinline__ inline
#define __shared__ static

struct vv_dim3 {
    unsigned x = 1, y = 1, z = 1;
};
inline thread_local vv_dim3 threadIdx, blockIdx;
inline vv_dim3 blockDim, gridDim;

namespace vv_emulation {
inline std::unique_ptr<std::barrier<>> block_barrier;
inline std::vector<std::unique_ptr<std::barrier<>>> warp_barriers;
inline std::vector<float> exchange;
}  // namespace vv_emulation

inline void __syncthreads() { vv_emulation::block_barrier->arrive_and_wait(); }

inline float __shfl_xor_sync(unsigned, float v, int offset) {
    unsigned warp = threadIdx.x / 32, lane = threadIdx.x % 32;
    vv_emulation::exchange[threadIdx.x] = v;
    vv_emulation::warp_barriers[warp]->arrive_and_wait();
    float other = vv_emulation::exchange[warp * 32 + (lane ^ (unsigned)offset)];
    vv_emulation::warp_barriers[warp]->arrive_and_wait();
    return other;
}

inline float __int_as_float(int i) {
    float f;
    std::memcpy(&f, &i, 4);
    return f;
}

inline int __float_as_int(float f) {
    int i;
    std::memcpy(&i, &f, 4);
    return i;
}

/* IEEE binary16 <-> binary32, round to nearest even (what cvt.rn.f16.f32 does). */
inline float vv_f16_to_f32(unsigned short h) {
    unsigned sign = (unsigned)(h & 0x8000) << 16, exponent = (h >> 10) & 0x1F, mantissa = h & 0x3FF, bits;
    if (exponent == 0x1F) bits = sign | 0x7F800000u | (mantissa << 13);
    else if (exponent == 0) {
        float f = (float)mantissa * 5.9604644775390625e-8f;
        return sign ? -f : f;
    } else bits = sign | ((exponent + 112) << 23) | (mantissa << 13);
    return __int_as_float((int)bits);
}

inline unsigned short vv_f32_to_f16(float f) {
    unsigned bits = (unsigned)__float_as_int(f), sign = (bits >> 16) & 0x8000u, mag = bits & 0x7FFFFFFFu;
    if (mag >= 0x7F800000u) return (unsigned short)(sign | 0x7C00u | (mag > 0x7F800000u ? 0x200u : 0u));
    if (mag >= 0x47800000u) return (unsigned short)(sign | 0x7C00u);
    if (mag < 0x38800000u) {
        float scaled = __int_as_float((int)mag) * 16777216.0f;
        unsigned whole = (unsigned)scaled;
        float frac = scaled - (float)whole;
        if (frac > 0.5f || (frac == 0.5f && (whole & 1u))) whole++;
        return (unsigned short)(sign | whole);
    }
    unsigned rounded = (mag + 0xFFFu + ((mag >> 13) & 1u)) >> 13;
    return (unsigned short)(sign | (rounded - (112u << 10)));
}

/* Runs `kernel(args...)` as a grid of `grid` blocks of `block` threads (block a multiple of 32). */
template <typename Kernel, typename... Args>
void vv_launch(Kernel kernel, unsigned grid, unsigned block, Args... args) {
    blockDim.x = block;
    gridDim.x = grid;
    for (unsigned b = 0; b < grid; b++) {
        vv_emulation::block_barrier = std::make_unique<std::barrier<>>(block);
        vv_emulation::warp_barriers.clear();
        for (unsigned w = 0; w < (block + 31) / 32; w++)
            vv_emulation::warp_barriers.push_back(std::make_unique<std::barrier<>>(32));
        vv_emulation::exchange.assign(block, 0.0f);
        std::vector<std::thread> threads;
        for (unsigned t = 0; t < block; t++)
            threads.emplace_back([=] {
                threadIdx.x = t;
                blockIdx.x = b;
                kernel(args...);
            });
        for (auto &thread : threads) thread.join();
    }
}
