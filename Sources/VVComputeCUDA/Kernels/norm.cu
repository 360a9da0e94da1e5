/* rmsNorm: y = w * (x / sqrt(mean(x^2) + eps)) per row of n, as transformers' Qwen2RMSNorm in fp32 (w may be
 * null). Launch: blockDim 256 (a multiple of 32), grid-stride over rows (one block per row). */

extern "C" __global__ void vv_rms_norm_f32(const float *x, const float *w, float *y, int rows, int n, float eps) {
    for (long long r = blockIdx.x; r < rows; r += gridDim.x) {
        const float *xr = x + r * n;
        float *yr = y + r * n;
        float ss = 0.0f;
        for (int c = threadIdx.x; c < n; c += blockDim.x) ss += xr[c] * xr[c];
        ss = vv_block_sum(ss);
        float inv = 1.0f / sqrtf(ss / (float)n + eps);
        for (int c = threadIdx.x; c < n; c += blockDim.x) yr[c] = w ? w[c] * (xr[c] * inv) : xr[c] * inv;
        __syncthreads();
    }
}
