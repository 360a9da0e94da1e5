/* linear: y[rows, out] = x[rows, in] . W[out, in]^T + bias, W f32/bf16/f16, fp32 accumulation.
 * vv_linear_*: one warp per output column; each pass over a weight row serves four input rows, so batch-1/2
 * decoding reads every weight once. Launch: blockDim 256, any grid (grid-stride over columns).
 * vv_gemm_*: for more rows (prefill), 64x64 output tiles through shared memory, 16 deep, each of 256 threads
 * computing 4x4 outputs (weights widened to f32 as they are staged). Launch: blockDim 256, any grid (grid-stride
 * over tiles). */

template <int DT>
__device__ __forceinline__ void linear_body(const float *x, const void *w, const float *bias, float *y, int rows,
                                            int in, int out) {
    int lane = threadIdx.x & 31, warps = blockDim.x >> 5;
    for (long long j = (long long)blockIdx.x * warps + (threadIdx.x >> 5); j < out; j += (long long)gridDim.x * warps) {
        long long wrow = j * (long long)in;
        for (int r0 = 0; r0 < rows; r0 += 4) {
            float acc[4] = {0.0f, 0.0f, 0.0f, 0.0f};
            for (int c = lane; c < in; c += 32) {
                float wv = vv_load<DT>(w, wrow + c);
#pragma unroll
                for (int i = 0; i < 4; i++)
                    if (r0 + i < rows) acc[i] += wv * x[(long long)(r0 + i) * in + c];
            }
#pragma unroll
            for (int i = 0; i < 4; i++) {
                float s = vv_warp_sum(acc[i]);
                if (lane == 0 && r0 + i < rows) y[(long long)(r0 + i) * out + j] = s + (bias ? bias[j] : 0.0f);
            }
        }
    }
}

#define VV_GEMM_TILE 64
#define VV_GEMM_DEPTH 16

template <int DT>
__device__ __forceinline__ void gemm_body(const float *x, const void *w, const float *bias, float *y, int rows, int in,
                                          int out) {
    __shared__ float xs[VV_GEMM_DEPTH][VV_GEMM_TILE + 4];
    __shared__ float ws[VV_GEMM_DEPTH][VV_GEMM_TILE + 4];
    int tilesM = (rows + VV_GEMM_TILE - 1) / VV_GEMM_TILE, tilesN = (out + VV_GEMM_TILE - 1) / VV_GEMM_TILE;
    int tx = threadIdx.x % 16, ty = threadIdx.x / 16;
    for (long long tile = blockIdx.x; tile < (long long)tilesM * tilesN; tile += gridDim.x) {
        int m0 = (int)(tile / tilesN) * VV_GEMM_TILE, n0 = (int)(tile % tilesN) * VV_GEMM_TILE;
        float acc[4][4];
#pragma unroll
        for (int i = 0; i < 4; i++)
#pragma unroll
            for (int j = 0; j < 4; j++) acc[i][j] = 0.0f;
        for (int k0 = 0; k0 < in; k0 += VV_GEMM_DEPTH) {
            for (int e = threadIdx.x; e < VV_GEMM_TILE * VV_GEMM_DEPTH; e += blockDim.x) {
                int r = e / VV_GEMM_DEPTH, kk = e % VV_GEMM_DEPTH, k = k0 + kk;
                int m = m0 + r, n = n0 + r;
                xs[kk][r] = (m < rows && k < in) ? x[(long long)m * in + k] : 0.0f;
                ws[kk][r] = (n < out && k < in) ? vv_load<DT>(w, (long long)n * in + k) : 0.0f;
            }
            __syncthreads();
#pragma unroll
            for (int kk = 0; kk < VV_GEMM_DEPTH; kk++) {
                float a[4], b[4];
#pragma unroll
                for (int i = 0; i < 4; i++) {
                    a[i] = xs[kk][ty * 4 + i];
                    b[i] = ws[kk][tx * 4 + i];
                }
#pragma unroll
                for (int i = 0; i < 4; i++)
#pragma unroll
                    for (int j = 0; j < 4; j++) acc[i][j] += a[i] * b[j];
            }
            __syncthreads();
        }
#pragma unroll
        for (int i = 0; i < 4; i++)
#pragma unroll
            for (int j = 0; j < 4; j++) {
                int m = m0 + ty * 4 + i, n = n0 + tx * 4 + j;
                if (m < rows && n < out) y[(long long)m * out + n] = acc[i][j] + (bias ? bias[n] : 0.0f);
            }
    }
}

extern "C" __global__ void vv_gemm_f32(const float *x, const void *w, const float *bias, float *y, int rows, int in,
                                       int out) {
    gemm_body<VV_DTYPE_F32>(x, w, bias, y, rows, in, out);
}

extern "C" __global__ void vv_gemm_bf16(const float *x, const void *w, const float *bias, float *y, int rows, int in,
                                        int out) {
    gemm_body<VV_DTYPE_BF16>(x, w, bias, y, rows, in, out);
}

extern "C" __global__ void vv_gemm_f16(const float *x, const void *w, const float *bias, float *y, int rows, int in,
                                       int out) {
    gemm_body<VV_DTYPE_F16>(x, w, bias, y, rows, in, out);
}

extern "C" __global__ void vv_linear_f32(const float *x, const void *w, const float *bias, float *y, int rows, int in,
                                         int out) {
    linear_body<VV_DTYPE_F32>(x, w, bias, y, rows, in, out);
}

extern "C" __global__ void vv_linear_bf16(const float *x, const void *w, const float *bias, float *y, int rows,
                                          int in, int out) {
    linear_body<VV_DTYPE_BF16>(x, w, bias, y, rows, in, out);
}

extern "C" __global__ void vv_linear_f16(const float *x, const void *w, const float *bias, float *y, int rows, int in,
                                         int out) {
    linear_body<VV_DTYPE_F16>(x, w, bias, y, rows, in, out);
}
