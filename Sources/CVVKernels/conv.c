/* 1-D convolutions over [batch, channels, time] (PyTorch nn.Conv1d / nn.ConvTranspose1d semantics, no padding). */
#include <stdlib.h>
#include "cvv_kernels.h"
#include "half.h"

void vv_conv1d_f32(int wtype, const float *x, const void *w, const float *bias, float *y, int64_t cin, int64_t t_in,
                   int64_t cout, int64_t kernel, int64_t t_out, int64_t stride, int64_t dilation, int64_t groups,
                   int64_t task_begin, int64_t task_end) {
    int64_t cpg_in = cin / groups, cpg_out = cout / groups;
    float *wbuf = (float *)malloc((size_t)(cpg_in * kernel > 0 ? cpg_in * kernel : 1) * sizeof(float));
    if (!wbuf) return;
    for (int64_t task = task_begin; task < task_end; task++) {
        int64_t b = task / cout, o = task % cout, g = o / cpg_out;
        for (int64_t i = 0; i < cpg_in * kernel; i++) wbuf[i] = vv_weight_to_f32(wtype, w, o * cpg_in * kernel + i);
        float *yrow = y + task * t_out;
        float b0 = bias ? bias[o] : 0.0f;
        for (int64_t t = 0; t < t_out; t++) yrow[t] = b0;
        for (int64_t ci = 0; ci < cpg_in; ci++) {
            const float *xrow = x + (b * cin + g * cpg_in + ci) * t_in;
            for (int64_t k = 0; k < kernel; k++) {
                float wv = wbuf[ci * kernel + k];
                const float *xs = xrow + k * dilation;
                if (stride == 1) {
                    for (int64_t t = 0; t < t_out; t++) yrow[t] += wv * xs[t];
                } else {
                    for (int64_t t = 0; t < t_out; t++) yrow[t] += wv * xs[t * stride];
                }
            }
        }
    }
    free(wbuf);
}

void vv_conv_transpose1d_f32(int wtype, const float *x, const void *w, const float *bias, float *y, int64_t cin,
                             int64_t t_in, int64_t cout, int64_t kernel, int64_t stride, int64_t groups,
                             int64_t task_begin, int64_t task_end) {
    int64_t cpg_in = cin / groups, cpg_out = cout / groups;
    int64_t t_out = (t_in - 1) * stride + kernel;
    for (int64_t task = task_begin; task < task_end; task++) {
        int64_t b = task / cout, o = task % cout, g = o / cpg_out, o_local = o % cpg_out;
        float *yrow = y + task * t_out;
        float b0 = bias ? bias[o] : 0.0f;
        for (int64_t t = 0; t < t_out; t++) yrow[t] = b0;
        for (int64_t ci = 0; ci < cpg_in; ci++) {
            int64_t c = g * cpg_in + ci;
            const float *xrow = x + (b * cin + c) * t_in;
            for (int64_t k = 0; k < kernel; k++) {
                float wv = vv_weight_to_f32(wtype, w, (c * cpg_out + o_local) * kernel + k);
                float *ys = yrow + k;
                for (int64_t t = 0; t < t_in; t++) ys[t * stride] += wv * xrow[t];
            }
        }
    }
}

/* acc[0..n) += a * w[0..n) with w of `wtype` (widened in registers on AVX2). */
static void axpy_weights_scalar(int wtype, float a, const char *w, float *acc, int64_t n) {
    for (int64_t i = 0; i < n; i++) acc[i] += a * vv_weight_to_f32(wtype, w, i);
}

#ifdef VV_X86
VV_AVX2 static void axpy_weights_avx2(int wtype, float a, const char *w, float *acc, int64_t n) {
    __m256 va = _mm256_set1_ps(a);
    int64_t i = 0;
    int64_t es = wtype == VV_WEIGHT_F32 ? 4 : 2;
    for (; i + 8 <= n; i += 8) {
        __m256 wv = wtype == VV_WEIGHT_BF16 ? vv_load8_bf16(w + i * es)
                    : wtype == VV_WEIGHT_F16 ? vv_load8_f16(w + i * es)
                                             : vv_load8_f32(w + i * es);
        _mm256_storeu_ps(acc + i, _mm256_fmadd_ps(va, wv, _mm256_loadu_ps(acc + i)));
    }
    for (; i < n; i++) acc[i] += a * vv_weight_to_f32(wtype, w, i);
}
#endif

void vv_conv_transpose1d_dense_f32(int isa, int wtype, const float *x, const void *w, const float *bias, float *y,
                                   int64_t batch, int64_t cin, int64_t t_in, int64_t cout, int64_t kernel,
                                   int64_t stride, int64_t o_begin, int64_t o_end) {
    int64_t seg = (o_end - o_begin) * kernel, es = wtype == VV_WEIGHT_F32 ? 4 : 2;
    int64_t t_out = (t_in - 1) * stride + kernel;
    float *acc = (float *)malloc((size_t)(seg * t_in > 0 ? seg * t_in : 1) * sizeof(float));
    if (!acc) return;
    for (int64_t b = 0; b < batch; b++) {
        for (int64_t i = 0; i < seg * t_in; i++) acc[i] = 0.0f;
        /* acc[t][(o - o_begin) * kernel + k] = sum over ci of x[b, ci, t] * w[ci, o, k]: each weight row read once. */
        for (int64_t ci = 0; ci < cin; ci++) {
            const char *wrow = (const char *)w + (ci * cout + o_begin) * kernel * es;
            const float *xrow = x + (b * cin + ci) * t_in;
            for (int64_t t = 0; t < t_in; t++) {
#ifdef VV_X86
                if (isa == VV_ISA_AVX2) {
                    axpy_weights_avx2(wtype, xrow[t], wrow, acc + t * seg, seg);
                    continue;
                }
#endif
                axpy_weights_scalar(wtype, xrow[t], wrow, acc + t * seg, seg);
            }
        }
        for (int64_t o = o_begin; o < o_end; o++) {
            float *yrow = y + (b * cout + o) * t_out;
            float b0 = bias ? bias[o] : 0.0f;
            for (int64_t t = 0; t < t_out; t++) yrow[t] = b0;
            for (int64_t t = 0; t < t_in; t++) {
                const float *a = acc + t * seg + (o - o_begin) * kernel;
                for (int64_t k = 0; k < kernel; k++) yrow[t * stride + k] += a[k];
            }
        }
    }
    free(acc);
    (void)isa;
}

void vv_im2col_f32(const float *x, float *cols, int64_t batch, int64_t cin, int64_t t_in, int64_t kernel,
                   int64_t t_out, int64_t stride, int64_t dilation) {
    int64_t width = cin * kernel;
    for (int64_t b = 0; b < batch; b++)
        for (int64_t t = 0; t < t_out; t++) {
            float *row = cols + (b * t_out + t) * width;
            for (int64_t ci = 0; ci < cin; ci++) {
                const float *xs = x + (b * cin + ci) * t_in + t * stride;
                for (int64_t k = 0; k < kernel; k++) row[ci * kernel + k] = xs[k * dilation];
            }
        }
}

void vv_transpose_batched_f32(const float *x, float *y, int64_t batch, int64_t rows, int64_t cols) {
    for (int64_t b = 0; b < batch; b++) {
        const float *xb = x + b * rows * cols;
        float *yb = y + b * rows * cols;
        for (int64_t r = 0; r < rows; r++)
            for (int64_t c = 0; c < cols; c++) yb[c * rows + r] = xb[r * cols + c];
    }
}
