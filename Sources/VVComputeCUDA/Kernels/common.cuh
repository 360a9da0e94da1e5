/* Shared prelude, prepended by the Swift side to every kernel family before NVRTC compiles it (no header inclusion:
 * NVRTC ships no standard headers, and the build must not need the CUDA SDK).
 * Conventions: tensors are dense row-major; weight dtype codes match VVComputeCPU (0 f32, 1 bf16, 2 f16);
 * sizes are int, element offsets are computed in long long; every loop is grid-stride so no launch depends on
 * gridDim.y/z limits; arithmetic is fp32. */

#define VV_DTYPE_F32 0
#define VV_DTYPE_BF16 1
#define VV_DTYPE_F16 2

/* -inf without math.h. */
#define VV_NEG_INF __int_as_float((int)0xff800000u)

/* bf16 -> f32 is exact: the bf16 bits are the top half of the f32. */
__device__ __forceinline__ float vv_bf16_to_f32(unsigned short h) { return __int_as_float(((int)h) << 16); }

/* f32 -> bf16, round to nearest even; NaN stays a (quiet) NaN. */
__device__ __forceinline__ unsigned short vv_f32_to_bf16(float f) {
    unsigned int u = (unsigned int)__float_as_int(f);
    if ((u & 0x7fffffffu) > 0x7f800000u) return (unsigned short)((u >> 16) | 0x0040u);
    u += 0x7fffu + ((u >> 16) & 1u);
    return (unsigned short)(u >> 16);
}

/* f16 <-> f32 with the PTX conversion instructions (exact widening; narrowing rounds to nearest even). The host
 * emulation used to test the kernels on a CPU (Tests/VVComputeCUDATests/Emulation) supplies its own versions. */
#ifndef VV_HOST_EMULATION
__device__ __forceinline__ float vv_f16_to_f32(unsigned short h) {
    float f;
    asm("cvt.f32.f16 %0, %1;" : "=f"(f) : "h"(h));
    return f;
}

__device__ __forceinline__ unsigned short vv_f32_to_f16(float f) {
    unsigned short h;
    asm("cvt.rn.f16.f32 %0, %1;" : "=h"(h) : "f"(f));
    return h;
}
#endif

/* Element i of a weight array of dtype code DT (resolved at compile time in the templates below). */
template <int DT> __device__ __forceinline__ float vv_load(const void *p, long long i) {
    if (DT == VV_DTYPE_F32) return ((const float *)p)[i];
    if (DT == VV_DTYPE_BF16) return vv_bf16_to_f32(((const unsigned short *)p)[i]);
    return vv_f16_to_f32(((const unsigned short *)p)[i]);
}

template <int DT> __device__ __forceinline__ void vv_store(void *p, long long i, float v) {
    if (DT == VV_DTYPE_F32) ((float *)p)[i] = v;
    else if (DT == VV_DTYPE_BF16) ((unsigned short *)p)[i] = vv_f32_to_bf16(v);
    else ((unsigned short *)p)[i] = vv_f32_to_f16(v);
}

/* Butterfly reductions over a warp (every lane gets the result). The host emulation supplies its own. */
#ifndef VV_HOST_EMULATION
__device__ __forceinline__ float vv_warp_sum(float v) {
    for (int o = 16; o > 0; o >>= 1) v += __shfl_xor_sync(0xffffffffu, v, o);
    return v;
}

__device__ __forceinline__ float vv_warp_max(float v) {
    for (int o = 16; o > 0; o >>= 1) v = fmaxf(v, __shfl_xor_sync(0xffffffffu, v, o));
    return v;
}
#endif

/* Sum over a block of up to 1024 threads (blockDim.x a multiple of 32); every thread gets the total. */
__device__ __forceinline__ float vv_block_sum(float v) {
    __shared__ float partial[32];
    int lane = threadIdx.x & 31, warp = threadIdx.x >> 5, warps = (blockDim.x + 31) >> 5;
    v = vv_warp_sum(v);
    __syncthreads();
    if (lane == 0) partial[warp] = v;
    __syncthreads();
    float total = 0.0f;
    for (int w = 0; w < warps; w++) total += partial[w];
    return total;
}

#define VV_GRID_STRIDE(i, n) \
    for (long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x; i < (long long)(n); \
         i += (long long)blockDim.x * gridDim.x)
