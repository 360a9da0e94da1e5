/* A tiny CUDA execution model on the host, enough to run the kernels of Sources/VVComputeCUDA/Kernels on a CPU:
 * blocks run one after another; the threads of a block are fibers on the calling OS thread (created once per launch
 * and walking the blocks together), switched only at barriers; __syncthreads is a block barrier and warp reductions/shuffles exchange values through a per-warp
 * buffer between two warp barriers. __shared__ variables become function statics (one copy per block, as blocks
 * never overlap). A barrier that can never complete (divergent __syncthreads) aborts with a message. It checks
 * indexing, reductions and synchronisation logic; it says nothing about GPU memory models, timing or code
 * generation. Linux/glibc only (a developer and CI tool). */
#pragma once
#include <setjmp.h>
#include <ucontext.h>

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
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
struct Barrier {
    unsigned participants = 0, count = 0, generation = 0;
};
/* A fiber is entered once per launch through makecontext/swapcontext; after that it and the scheduler switch with
 * _setjmp/_longjmp, which (unlike swapcontext) make no system call. */
struct Fiber {
    ucontext_t context;
    jmp_buf jump;
    std::vector<char> stack;
    bool started = false, done = false;
    Barrier *waiting = nullptr;
    unsigned generation = 0;
    unsigned index = 0;
};
inline jmp_buf scheduler_jump;
inline ucontext_t scheduler_context;
inline std::vector<Fiber> fibers;
inline Fiber *current = nullptr;
inline Barrier block_barrier, block_end;
inline std::vector<Barrier> warp_barriers;
inline std::vector<float> exchange;
inline std::function<void()> body;
inline unsigned grid_blocks = 0;

inline void yield() {
    if (!_setjmp(current->jump)) _longjmp(scheduler_jump, 1);
}

/* Arrives at `barrier`; the last arrival continues, the others yield until the barrier's generation moves on. */
inline void arrive(Barrier &barrier) {
    if (++barrier.count == barrier.participants) {
        barrier.count = 0;
        barrier.generation++;
        return;
    }
    current->waiting = &barrier;
    current->generation = barrier.generation;
    yield();
}

/* One fiber walks every block of the launch as thread `index`, meeting the others at the end of each block. */
inline void entry() {
    for (unsigned b = 0; b < grid_blocks; b++) {
        blockIdx.x = b;
        threadIdx.x = current->index;
        body();
        arrive(block_end);
    }
    current->done = true;
    _longjmp(scheduler_jump, 1);
}
}  // namespace vv_emulation

inline void __syncthreads() { vv_emulation::arrive(vv_emulation::block_barrier); }

inline float __shfl_xor_sync(unsigned, float v, int offset) {
    unsigned warp = threadIdx.x / 32, lane = threadIdx.x % 32;
    vv_emulation::exchange[threadIdx.x] = v;
    vv_emulation::arrive(vv_emulation::warp_barriers[warp]);
    float other = vv_emulation::exchange[warp * 32 + (lane ^ (unsigned)offset)];
    vv_emulation::arrive(vv_emulation::warp_barriers[warp]);
    return other;
}

/* The butterfly of vv_warp_sum/vv_warp_max in one exchange (two warp barriers instead of ten): every lane combines
 * the 32 values in the butterfly's order, so the result is the lane-0 result of the GPU's five shuffle rounds. */
inline float vv_warp_reduce(float v, bool maximum) {
    unsigned warp = threadIdx.x / 32, lane = threadIdx.x % 32;
    vv_emulation::exchange[threadIdx.x] = v;
    vv_emulation::arrive(vv_emulation::warp_barriers[warp]);
    float values[32];
    for (int l = 0; l < 32; l++) values[l] = vv_emulation::exchange[warp * 32 + l];
    vv_emulation::arrive(vv_emulation::warp_barriers[warp]);
    for (int width = 16; width > 0; width >>= 1)
        for (int l = 0; l < width; l++)
            values[l] = maximum ? std::fmax(values[l], values[l + width]) : values[l] + values[l + width];
    (void)lane;
    return values[0];
}

inline float vv_warp_sum(float v) { return vv_warp_reduce(v, false); }
inline float vv_warp_max(float v) { return vv_warp_reduce(v, true); }

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
    using namespace vv_emulation;
    blockDim.x = block;
    gridDim.x = grid;
    grid_blocks = grid;
    if (fibers.size() < block) fibers.resize(block);
    block_barrier = Barrier{block};
    block_end = Barrier{block};
    warp_barriers.assign((block + 31) / 32, Barrier{32});
    exchange.assign(block, 0.0f);
    body = [&] { kernel(args...); };
    for (unsigned t = 0; t < block; t++) {
        Fiber &fiber = fibers[t];
        if (fiber.stack.empty()) fiber.stack.resize(1 << 16);
        fiber.started = false;
        fiber.done = false;
        fiber.waiting = nullptr;
        fiber.index = t;
        getcontext(&fiber.context);
        fiber.context.uc_stack.ss_sp = fiber.stack.data();
        fiber.context.uc_stack.ss_size = fiber.stack.size();
        fiber.context.uc_link = nullptr;
        makecontext(&fiber.context, entry, 0);
    }
    unsigned alive = block;
    while (alive > 0) {
        bool progressed = false;
        for (unsigned t = 0; t < block; t++) {
            Fiber &fiber = fibers[t];
            if (fiber.done || (fiber.waiting && fiber.waiting->generation == fiber.generation)) continue;
            fiber.waiting = nullptr;
            current = &fiber;
            threadIdx.x = t;
            if (!_setjmp(scheduler_jump)) {
                if (fiber.started) _longjmp(fiber.jump, 1);
                fiber.started = true;
                swapcontext(&scheduler_context, &fiber.context);
            }
            threadIdx.x = t;
            progressed = true;
            if (fiber.done) alive--;
        }
        if (!progressed) {
            std::fprintf(stderr, "emulation deadlock: threads wait at a barrier that cannot complete\n");
            std::abort();
        }
    }
}
