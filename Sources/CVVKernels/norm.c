/* vv_rms_norm_f32: RMSNorm over the last dimension, fp32 as transformers' Qwen2RMSNorm computes it. */
#include <math.h>
#include "cvv_kernels.h"
#include "half.h"

static float sum_squares_scalar(const float *x, int64_t n) {
    float partial[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    int64_t c = 0;
    for (; c + 8 <= n; c += 8)
        for (int l = 0; l < 8; l++) partial[l] += x[c + l] * x[c + l];
    float sum = 0.0f;
    for (int l = 0; l < 8; l++) sum += partial[l];
    for (; c < n; c++) sum += x[c] * x[c];
    return sum;
}

#ifdef VV_X86
VV_AVX2 static float sum_squares_avx2(const float *x, int64_t n) {
    __m256 a = _mm256_setzero_ps(), b = a;
    int64_t c = 0;
    for (; c + 16 <= n; c += 16) {
        __m256 u = _mm256_loadu_ps(x + c), v = _mm256_loadu_ps(x + c + 8);
        a = _mm256_fmadd_ps(u, u, a);
        b = _mm256_fmadd_ps(v, v, b);
    }
    float sum = vv_hsum256(_mm256_add_ps(a, b));
    for (; c < n; c++) sum += x[c] * x[c];
    return sum;
}
#endif

void vv_rms_norm_f32(int isa, const float *x, const float *w, float *y, int64_t rows, int64_t n, float eps) {
    for (int64_t r = 0; r < rows; r++) {
        const float *xr = x + r * n;
        float *yr = y + r * n;
        float ss;
#ifdef VV_X86
        ss = isa == VV_ISA_AVX2 ? sum_squares_avx2(xr, n) : sum_squares_scalar(xr, n);
#else
        (void)isa;
        ss = sum_squares_scalar(xr, n);
#endif
        float inv = 1.0f / sqrtf(ss / (float)n + eps);
        if (w) {
            for (int64_t c = 0; c < n; c++) yr[c] = w[c] * (xr[c] * inv);
        } else {
            for (int64_t c = 0; c < n; c++) yr[c] = xr[c] * inv;
        }
    }
}
