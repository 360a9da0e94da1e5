/* 1-D convolutions over [batch, channels, time] f32 with f32/bf16/f16 weights, PyTorch semantics, no padding
 * (callers pad causally or prepend streaming state). One thread per output element, fp32 accumulation.
 * conv1d: weight [cout, cin / groups, kernel], out [batch, cout, outTime], outTime = (time - dilation*(kernel-1) - 1)
 *   / stride + 1 (the host computes it). convTranspose1d: weight [cin, cout / groups, kernel], out
 *   [batch, cout, (time - 1) * stride + kernel] (every frame; callers trim). bias [cout] or null.
 * Launch: any grid, grid-stride over the outputs. */

template <int DT>
__device__ __forceinline__ void conv1d_body(const float *x, const void *w, const float *bias, float *y, int batch,
                                            int cin, int time, int cout, int kernel, int outTime, int stride,
                                            int dilation, int groups) {
    int inPerGroup = cin / groups, outPerGroup = cout / groups;
    VV_GRID_STRIDE(i, (long long)batch * cout * outTime) {
        int t = (int)(i % outTime);
        long long bo = i / outTime;
        int o = (int)(bo % cout), b = (int)(bo / cout), g = o / outPerGroup;
        float sum = bias ? bias[o] : 0.0f;
        for (int ci = 0; ci < inPerGroup; ci++) {
            const float *xs = x + ((long long)b * cin + g * inPerGroup + ci) * time + (long long)t * stride;
            long long wrow = ((long long)o * inPerGroup + ci) * kernel;
            for (int k = 0; k < kernel; k++) sum += vv_load<DT>(w, wrow + k) * xs[(long long)k * dilation];
        }
        y[i] = sum;
    }
}

template <int DT>
__device__ __forceinline__ void conv_transpose1d_body(const float *x, const void *w, const float *bias, float *y,
                                                      int batch, int cin, int time, int cout, int kernel, int stride,
                                                      int groups) {
    int inPerGroup = cin / groups, outPerGroup = cout / groups;
    long long outTime = (long long)(time - 1) * stride + kernel;
    VV_GRID_STRIDE(i, (long long)batch * cout * outTime) {
        long long to = i % outTime, bo = i / outTime;
        int o = (int)(bo % cout), b = (int)(bo / cout), g = o / outPerGroup, oLocal = o % outPerGroup;
        float sum = bias ? bias[o] : 0.0f;
        for (int ci = 0; ci < inPerGroup; ci++) {
            int c = g * inPerGroup + ci;
            const float *xrow = x + ((long long)b * cin + c) * time;
            long long wrow = ((long long)c * outPerGroup + oLocal) * kernel;
            /* taps k with to - k = t * stride, 0 <= t < time */
            for (int k = (int)(to % stride); k < kernel; k += stride) {
                long long t = (to - k) / stride;
                if (to - k < 0) break;
                if (t < time) sum += vv_load<DT>(w, wrow + k) * xrow[t];
            }
        }
        y[i] = sum;
    }
}

#define VV_CONV_ENTRIES(SUFFIX, DT)                                                                                   \
    extern "C" __global__ void vv_conv1d_##SUFFIX(const float *x, const void *w, const float *bias, float *y,         \
                                                  int batch, int cin, int time, int cout, int kernel, int outTime,    \
                                                  int stride, int dilation, int groups) {                             \
        conv1d_body<DT>(x, w, bias, y, batch, cin, time, cout, kernel, outTime, stride, dilation, groups);            \
    }                                                                                                                 \
    extern "C" __global__ void vv_conv_transpose1d_##SUFFIX(const float *x, const void *w, const float *bias,         \
                                                            float *y, int batch, int cin, int time, int cout,         \
                                                            int kernel, int stride, int groups) {                     \
        conv_transpose1d_body<DT>(x, w, bias, y, batch, cin, time, cout, kernel, stride, groups);                     \
    }

VV_CONV_ENTRIES(f32, VV_DTYPE_F32)
VV_CONV_ENTRIES(bf16, VV_DTYPE_BF16)
VV_CONV_ENTRIES(f16, VV_DTYPE_F16)
