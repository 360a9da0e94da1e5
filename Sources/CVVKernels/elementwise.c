/* Elementwise kernels: SiLU-mul, unary activations, broadcasting add/mul, scale, modulate, axpy, and argmax. */
#include <math.h>
#include "cvv_kernels.h"
#include "half.h"

static float silu(float x) { return x / (1.0f + expf(-x)); }

void vv_silu_mul_f32(const float *g, const float *u, float *y, int64_t count) {
    for (int64_t i = 0; i < count; i++) y[i] = silu(g[i]) * u[i];
}

void vv_unary_f32(int op, const float *x, float *y, int64_t count) {
    switch (op) {
    case VV_UNARY_SILU:
        for (int64_t i = 0; i < count; i++) y[i] = silu(x[i]);
        break;
    case VV_UNARY_GELU:
        for (int64_t i = 0; i < count; i++) y[i] = 0.5f * x[i] * (1.0f + erff(x[i] * 0.70710678118654752f));
        break;
    case VV_UNARY_SIGMOID:
        for (int64_t i = 0; i < count; i++) y[i] = 1.0f / (1.0f + expf(-x[i]));
        break;
    default:
        for (int64_t i = 0; i < count; i++) y[i] = x[i] > 0.0f ? x[i] : 0.0f;
        break;
    }
}

void vv_binary_f32(int op, const float *a, const float *b, float *y, int64_t rows, int64_t cols, int64_t b_rows) {
    for (int64_t r = 0; r < rows; r++) {
        const float *ar = a + r * cols, *br = b + (r % b_rows) * cols;
        float *yr = y + r * cols;
        if (op == VV_BINARY_ADD) {
            for (int64_t c = 0; c < cols; c++) yr[c] = ar[c] + br[c];
        } else {
            for (int64_t c = 0; c < cols; c++) yr[c] = ar[c] * br[c];
        }
    }
}

void vv_scale_f32(const float *x, float factor, float *y, int64_t count) {
    for (int64_t i = 0; i < count; i++) y[i] = x[i] * factor;
}

void vv_modulate_f32(const float *x, const float *shift, const float *scale, float *y, int64_t rows, int64_t cols,
                     int64_t param_rows) {
    for (int64_t r = 0; r < rows; r++) {
        const float *xr = x + r * cols, *sh = shift + (r % param_rows) * cols, *sc = scale + (r % param_rows) * cols;
        float *yr = y + r * cols;
        for (int64_t c = 0; c < cols; c++) yr[c] = xr[c] * (1.0f + sc[c]) + sh[c];
    }
}

void vv_timestep_embedding_f32(const float *t, float *y, int64_t rows, int64_t dim, double max_period) {
    int64_t half = dim / 2;
    float scale = (float)(-log(max_period));
    for (int64_t r = 0; r < rows; r++) {
        float *yr = y + r * dim;
        for (int64_t i = 0; i < half; i++) {
            float freq = expf(scale * (float)i / (float)half);
            float arg = t[r] * freq;
            yr[i] = cosf(arg);
            yr[half + i] = sinf(arg);
        }
        if (dim % 2) yr[dim - 1] = 0.0f;
    }
}

void vv_axpy_f32(float a, const float *x, float *y, int64_t count) {
    for (int64_t i = 0; i < count; i++) y[i] += a * x[i];
}

static int greater(float candidate, float best) {
    if (isnan(best)) return 0;
    return isnan(candidate) || candidate > best;
}

int64_t vv_argmax_f32(const float *x, int64_t n, const int32_t *allowed, int64_t allowed_count) {
    int64_t best = -1;
    if (allowed) {
        for (int64_t a = 0; a < allowed_count; a++) {
            int64_t id = allowed[a];
            if (id < 0 || id >= n) continue;
            if (best < 0 || greater(x[id], x[best]) || (x[id] == x[best] && id < best)) best = id;
        }
        return best;
    }
    for (int64_t i = 0; i < n; i++)
        if (best < 0 || greater(x[i], x[best])) best = i;
    return best;
}

#ifdef VV_X86
/*
 * erf(x) for 8 lanes: the odd/even rational approximation on [-4, 4] used by Eigen and XLA for float
 * (erf(±4) rounds to ±1 in fp32). Max abs error 4.5e-7 against erf in double over [-6, 6], so GELU is within
 * 1e-6 relative of the exact-erf GELU (the portable kernel calls erff).
 */
VV_AVX2 static __m256 erf8(__m256 a) {
    __m256 x = _mm256_max_ps(_mm256_min_ps(a, _mm256_set1_ps(4.0f)), _mm256_set1_ps(-4.0f));
    __m256 x2 = _mm256_mul_ps(x, x);
    __m256 p = _mm256_fmadd_ps(x2, _mm256_set1_ps(-2.72614225801306e-10f), _mm256_set1_ps(2.77068142495902e-08f));
    p = _mm256_fmadd_ps(x2, p, _mm256_set1_ps(-2.10102402082508e-06f));
    p = _mm256_fmadd_ps(x2, p, _mm256_set1_ps(-5.69250639462346e-05f));
    p = _mm256_fmadd_ps(x2, p, _mm256_set1_ps(-7.34990630326855e-04f));
    p = _mm256_fmadd_ps(x2, p, _mm256_set1_ps(-2.95459980854025e-03f));
    p = _mm256_fmadd_ps(x2, p, _mm256_set1_ps(-1.60960333262415e-02f));
    p = _mm256_mul_ps(x, p);
    __m256 q = _mm256_fmadd_ps(x2, _mm256_set1_ps(-1.45660718464996e-05f), _mm256_set1_ps(-2.13374055278905e-04f));
    q = _mm256_fmadd_ps(x2, q, _mm256_set1_ps(-1.68282697438203e-03f));
    q = _mm256_fmadd_ps(x2, q, _mm256_set1_ps(-7.37332916720468e-03f));
    q = _mm256_fmadd_ps(x2, q, _mm256_set1_ps(-1.42647390514189e-02f));
    return _mm256_div_ps(p, q);
}

VV_AVX2 static void gelu_avx2(const float *x, float *y, int64_t count) {
    const __m256 half = _mm256_set1_ps(0.5f), one = _mm256_set1_ps(1.0f), r2 = _mm256_set1_ps(0.70710678118654752f);
    int64_t i = 0;
    for (; i + 8 <= count; i += 8) {
        __m256 v = _mm256_loadu_ps(x + i);
        __m256 e = erf8(_mm256_mul_ps(v, r2));
        _mm256_storeu_ps(y + i, _mm256_mul_ps(_mm256_mul_ps(half, v), _mm256_add_ps(one, e)));
    }
    for (; i < count; i++) y[i] = 0.5f * x[i] * (1.0f + erff(x[i] * 0.70710678118654752f));
}
#endif

void vv_gelu_f32(int isa, const float *x, float *y, int64_t count) {
#ifdef VV_X86
    if (isa == VV_ISA_AVX2) {
        gelu_avx2(x, y, count);
        return;
    }
#endif
    (void)isa;
    vv_unary_f32(VV_UNARY_GELU, x, y, count);
}
