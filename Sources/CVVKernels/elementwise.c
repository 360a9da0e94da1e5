/* Elementwise kernels: SiLU-mul, unary activations, broadcasting add/mul, scale, modulate, axpy, and argmax. */
#include <math.h>
#include "cvv_kernels.h"

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
