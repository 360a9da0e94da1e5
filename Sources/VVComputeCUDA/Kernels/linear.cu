/* linear: y[rows, out] = x[rows, in] . W[out, in]^T + bias, W f32/bf16/f16, fp32 accumulation.
 * One warp per output column; each pass over a weight row serves four input rows, so batch-1/2 decoding reads
 * every weight once. Launch: blockDim 256, any grid (grid-stride over columns). */

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
