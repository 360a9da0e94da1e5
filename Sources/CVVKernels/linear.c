/* vv_linear: y = x . W^T + bias with f32, bf16 or f16 weights (batch-1/2 decode and blocked prefill). */
#include <stdlib.h>
#include "cvv_kernels.h"
#include "half.h"

static void linear_scalar(int wtype, const float *x, int64_t m, int64_t k, const void *w, const float *bias, float *y,
                          int64_t n, int64_t j_begin, int64_t j_end) {
    float *row = (float *)malloc((size_t)(k > 0 ? k : 1) * sizeof(float));
    if (!row) return;
    for (int64_t j = j_begin; j < j_end; j++) {
        for (int64_t c = 0; c < k; c++) row[c] = vv_weight_to_f32(wtype, w, j * k + c);
        for (int64_t i = 0; i < m; i++) {
            const float *xr = x + i * k;
            float sum = 0.0f;
            for (int64_t c = 0; c < k; c++) sum += xr[c] * row[c];
            y[i * n + j] = sum + (bias ? bias[j] : 0.0f);
        }
    }
    free(row);
}

#ifdef VV_X86
/*
 * Prefetch distances, in bytes ahead of the weight being read. Decode is DRAM-bound and one core alone keeps too few
 * misses in flight; prefetching 8 KB ahead into L2 (T1) measured 8.6 -> ~20 GB/s on one core here (EPYC VM), with
 * 4-16 KB all close. Prefill blocks are compute-bound and use a short L1 prefetch.
 */
#define VV_ROW_PREFETCH 8192
/* From this many input rows on, the packed-panel micro-kernel beats the 4-row dot-product blocks. */
#ifndef VV_PANEL_MIN_ROWS
#define VV_PANEL_MIN_ROWS 8
#endif
#define VV_PREFETCH 512
/*
 * Four weight rows (w0..w3, element size `es`, loaded by LOAD8) against x rows in pairs: 8 accumulators, each
 * weight vector loaded once per pair. K tails (k % 8) are done in scalar.
 */
#define VV_BLOCK4(NAME, LOAD8)                                                                                       \
    VV_AVX2 static void NAME(int wtype, const float *x, int64_t m, int64_t k, const char *w0, int64_t es,           \
                             const float *bias, float *y, int64_t n, int64_t j) {                                    \
        const char *w1 = w0 + k * es, *w2 = w1 + k * es, *w3 = w2 + k * es;                                          \
        int64_t k8 = k & ~(int64_t)7;                                                                                \
        int64_t i = 0;                                                                                               \
        for (; i + 2 <= m; i += 2) {                                                                                 \
            const float *x0 = x + i * k, *x1 = x0 + k;                                                               \
            __m256 a00 = _mm256_setzero_ps(), a01 = a00, a02 = a00, a03 = a00;                                       \
            __m256 a10 = a00, a11 = a00, a12 = a00, a13 = a00;                                                       \
            for (int64_t c = 0; c < k8; c += 8) {                                                                    \
                if ((c & 31) == 0 && VV_PREFETCH > 0) {                                                              \
                    _mm_prefetch(w0 + c * es + VV_PREFETCH, _MM_HINT_T0);                                            \
                    _mm_prefetch(w1 + c * es + VV_PREFETCH, _MM_HINT_T0);                                            \
                    _mm_prefetch(w2 + c * es + VV_PREFETCH, _MM_HINT_T0);                                            \
                    _mm_prefetch(w3 + c * es + VV_PREFETCH, _MM_HINT_T0);                                            \
                }                                                                                                    \
                __m256 v0 = _mm256_loadu_ps(x0 + c), v1 = _mm256_loadu_ps(x1 + c);                                   \
                __m256 wv = LOAD8(w0 + c * es);                                                                      \
                a00 = _mm256_fmadd_ps(wv, v0, a00);                                                                  \
                a10 = _mm256_fmadd_ps(wv, v1, a10);                                                                  \
                wv = LOAD8(w1 + c * es);                                                                             \
                a01 = _mm256_fmadd_ps(wv, v0, a01);                                                                  \
                a11 = _mm256_fmadd_ps(wv, v1, a11);                                                                  \
                wv = LOAD8(w2 + c * es);                                                                             \
                a02 = _mm256_fmadd_ps(wv, v0, a02);                                                                  \
                a12 = _mm256_fmadd_ps(wv, v1, a12);                                                                  \
                wv = LOAD8(w3 + c * es);                                                                             \
                a03 = _mm256_fmadd_ps(wv, v0, a03);                                                                  \
                a13 = _mm256_fmadd_ps(wv, v1, a13);                                                                  \
            }                                                                                                        \
            float s[2][4] = {{vv_hsum256(a00), vv_hsum256(a01), vv_hsum256(a02), vv_hsum256(a03)},                   \
                             {vv_hsum256(a10), vv_hsum256(a11), vv_hsum256(a12), vv_hsum256(a13)}};                  \
            const char *rows[4] = {w0, w1, w2, w3};                                                                  \
            for (int64_t c = k8; c < k; c++) {                                                                       \
                for (int r = 0; r < 4; r++) {                                                                        \
                    float wf = vv_weight_to_f32(wtype, rows[r], c);                                                  \
                    s[0][r] += x0[c] * wf;                                                                           \
                    s[1][r] += x1[c] * wf;                                                                           \
                }                                                                                                    \
            }                                                                                                        \
            for (int r = 0; r < 4; r++) {                                                                            \
                float b = bias ? bias[j + r] : 0.0f;                                                                 \
                y[i * n + j + r] = s[0][r] + b;                                                                      \
                y[(i + 1) * n + j + r] = s[1][r] + b;                                                                \
            }                                                                                                        \
        }                                                                                                            \
        for (; i < m; i++) {                                                                                         \
            const float *x0 = x + i * k;                                                                             \
            __m256 a0 = _mm256_setzero_ps(), a1 = a0, a2 = a0, a3 = a0;                                              \
            for (int64_t c = 0; c < k8; c += 8) {                                                                    \
                if ((c & 31) == 0 && VV_PREFETCH > 0) {                                                              \
                    _mm_prefetch(w0 + c * es + VV_PREFETCH, _MM_HINT_T0);                                            \
                    _mm_prefetch(w1 + c * es + VV_PREFETCH, _MM_HINT_T0);                                            \
                    _mm_prefetch(w2 + c * es + VV_PREFETCH, _MM_HINT_T0);                                            \
                    _mm_prefetch(w3 + c * es + VV_PREFETCH, _MM_HINT_T0);                                            \
                }                                                                                                    \
                __m256 v0 = _mm256_loadu_ps(x0 + c);                                                                 \
                a0 = _mm256_fmadd_ps(LOAD8(w0 + c * es), v0, a0);                                                    \
                a1 = _mm256_fmadd_ps(LOAD8(w1 + c * es), v0, a1);                                                    \
                a2 = _mm256_fmadd_ps(LOAD8(w2 + c * es), v0, a2);                                                    \
                a3 = _mm256_fmadd_ps(LOAD8(w3 + c * es), v0, a3);                                                    \
            }                                                                                                        \
            float s[4] = {vv_hsum256(a0), vv_hsum256(a1), vv_hsum256(a2), vv_hsum256(a3)};                           \
            const char *rows[4] = {w0, w1, w2, w3};                                                                  \
            for (int64_t c = k8; c < k; c++)                                                                         \
                for (int r = 0; r < 4; r++) s[r] += x0[c] * vv_weight_to_f32(wtype, rows[r], c);                     \
            for (int r = 0; r < 4; r++) y[i * n + j + r] = s[r] + (bias ? bias[j + r] : 0.0f);                      \
        }                                                                                                            \
    }

/*
 * Decode (one or two input rows): one weight row at a time, read as a single sequential stream (what hardware
 * prefetchers handle best), with 4 independent accumulators per input row.
 */
#define VV_ROW1(NAME, LOAD8)                                                                                         \
    VV_AVX2 static void NAME(int wtype, const float *x, int64_t m, int64_t k, const char *w, int64_t es,            \
                             const float *bias, float *y, int64_t n, int64_t j_begin, int64_t j_end) {               \
        int64_t k32 = k & ~(int64_t)31;                                                                              \
        const float *x0 = x, *x1 = m > 1 ? x + k : x;                                                                \
        for (int64_t j = j_begin; j < j_end; j++) {                                                                  \
            const char *wr = w + j * k * es;                                                                         \
            __m256 a0 = _mm256_setzero_ps(), a1 = a0, a2 = a0, a3 = a0, b0 = a0, b1 = a0, b2 = a0, b3 = a0;          \
            for (int64_t c = 0; c < k32; c += 32) {                                                                  \
                _mm_prefetch(wr + c * es + VV_ROW_PREFETCH, _MM_HINT_T1);                                            \
                if (es == 4) _mm_prefetch(wr + c * es + VV_ROW_PREFETCH + 64, _MM_HINT_T1);                          \
                __m256 w0 = LOAD8(wr + c * es), w1 = LOAD8(wr + (c + 8) * es);                                       \
                __m256 w2 = LOAD8(wr + (c + 16) * es), w3 = LOAD8(wr + (c + 24) * es);                               \
                a0 = _mm256_fmadd_ps(w0, _mm256_loadu_ps(x0 + c), a0);                                               \
                a1 = _mm256_fmadd_ps(w1, _mm256_loadu_ps(x0 + c + 8), a1);                                           \
                a2 = _mm256_fmadd_ps(w2, _mm256_loadu_ps(x0 + c + 16), a2);                                          \
                a3 = _mm256_fmadd_ps(w3, _mm256_loadu_ps(x0 + c + 24), a3);                                          \
                b0 = _mm256_fmadd_ps(w0, _mm256_loadu_ps(x1 + c), b0);                                               \
                b1 = _mm256_fmadd_ps(w1, _mm256_loadu_ps(x1 + c + 8), b1);                                           \
                b2 = _mm256_fmadd_ps(w2, _mm256_loadu_ps(x1 + c + 16), b2);                                          \
                b3 = _mm256_fmadd_ps(w3, _mm256_loadu_ps(x1 + c + 24), b3);                                          \
            }                                                                                                        \
            float s0 = vv_hsum256(_mm256_add_ps(_mm256_add_ps(a0, a1), _mm256_add_ps(a2, a3)));                      \
            float s1 = vv_hsum256(_mm256_add_ps(_mm256_add_ps(b0, b1), _mm256_add_ps(b2, b3)));                      \
            for (int64_t c = k32; c < k; c++) {                                                                      \
                float wf = vv_weight_to_f32(wtype, wr, c);                                                           \
                s0 += x0[c] * wf;                                                                                    \
                s1 += x1[c] * wf;                                                                                    \
            }                                                                                                        \
            float b = bias ? bias[j] : 0.0f;                                                                         \
            y[j] = s0 + b;                                                                                           \
            if (m > 1) y[n + j] = s1 + b;                                                                            \
        }                                                                                                            \
    }

/*
 * Short prefill (3 to 6 input rows, a text window of 5 tokens): like VV_ROW1, every weight row is read once as one
 * sequential stream, against all M input rows at once (2 accumulators per row: 12 registers at M = 6). Reading the
 * weights once instead of once per row pair is what matters: these calls are memory-bound.
 */
#define VV_ROWM(NAME, LOAD8, M)                                                                                      \
    VV_AVX2 static void NAME(int wtype, const float *x, int64_t k, const char *w, int64_t es, const float *bias,     \
                             float *y, int64_t n, int64_t j_begin, int64_t j_end) {                                  \
        int64_t k16 = k & ~(int64_t)15;                                                                              \
        for (int64_t j = j_begin; j < j_end; j++) {                                                                  \
            const char *wr = w + j * k * es;                                                                         \
            __m256 acc[M][2];                                                                                        \
            for (int r = 0; r < M; r++) acc[r][0] = acc[r][1] = _mm256_setzero_ps();                                 \
            for (int64_t c = 0; c < k16; c += 16) {                                                                  \
                if ((c & 31) == 0) _mm_prefetch(wr + c * es + VV_ROW_PREFETCH, _MM_HINT_T1);                         \
                __m256 w0 = LOAD8(wr + c * es), w1 = LOAD8(wr + (c + 8) * es);                                       \
                for (int r = 0; r < M; r++) {                                                                        \
                    acc[r][0] = _mm256_fmadd_ps(w0, _mm256_loadu_ps(x + r * k + c), acc[r][0]);                      \
                    acc[r][1] = _mm256_fmadd_ps(w1, _mm256_loadu_ps(x + r * k + c + 8), acc[r][1]);                  \
                }                                                                                                    \
            }                                                                                                        \
            float b = bias ? bias[j] : 0.0f;                                                                         \
            for (int r = 0; r < M; r++) {                                                                            \
                float sum = vv_hsum256(_mm256_add_ps(acc[r][0], acc[r][1]));                                         \
                for (int64_t c = k16; c < k; c++) sum += x[r * k + c] * vv_weight_to_f32(wtype, wr, c);             \
                y[r * n + j] = sum + b;                                                                              \
            }                                                                                                        \
        }                                                                                                            \
    }

#define VV_ROWM_ALL(M)                                                                                               \
    VV_ROWM(row##M##_f32, vv_load8_f32, M)                                                                           \
    VV_ROWM(row##M##_bf16, vv_load8_bf16, M)                                                                         \
    VV_ROWM(row##M##_f16, vv_load8_f16, M)
VV_ROWM_ALL(3)
VV_ROWM_ALL(4)
VV_ROWM_ALL(5)
VV_ROWM_ALL(6)

typedef void (*vv_rowm_fn)(int, const float *, int64_t, const char *, int64_t, const float *, float *, int64_t,
                           int64_t, int64_t);

/* The VV_ROWM kernel for m rows (3...6) and a weight type. */
static vv_rowm_fn rowm_kernel(int64_t m, int wtype) {
    static const vv_rowm_fn table[4][3] = {
        {row3_f32, row3_bf16, row3_f16}, {row4_f32, row4_bf16, row4_f16},
        {row5_f32, row5_bf16, row5_f16}, {row6_f32, row6_bf16, row6_f16},
    };
    int t = wtype == VV_WEIGHT_BF16 ? 1 : wtype == VV_WEIGHT_F16 ? 2 : 0;
    return table[m - 3][t];
}

VV_ROW1(row1_f32, vv_load8_f32)
VV_ROW1(row1_bf16, vv_load8_bf16)
VV_ROW1(row1_f16, vv_load8_f16)

VV_BLOCK4(block4_f32, vv_load8_f32)
VV_BLOCK4(block4_bf16, vv_load8_bf16)
VV_BLOCK4(block4_f16, vv_load8_f16)

VV_AVX2 static void convert_rows_avx2(int wtype, const char *src, float *dst, int64_t count) {
    int64_t c = 0;
    if (wtype == VV_WEIGHT_BF16) {
        for (; c + 8 <= count; c += 8) {
            if ((c & 31) == 0) _mm_prefetch(src + c * 2 + VV_ROW_PREFETCH, _MM_HINT_T1);
            _mm256_storeu_ps(dst + c, vv_load8_bf16(src + c * 2));
        }
    } else if (wtype == VV_WEIGHT_F16) {
        for (; c + 8 <= count; c += 8) {
            if ((c & 31) == 0) _mm_prefetch(src + c * 2 + VV_ROW_PREFETCH, _MM_HINT_T1);
            _mm256_storeu_ps(dst + c, vv_load8_f16(src + c * 2));
        }
    }
    for (; c < count; c++) dst[c] = vv_weight_to_f32(wtype, src, c);
}

/*
 * Prefill (many input rows): a packed panel of 16 weight rows, transposed to [k][16] f32, swept by 6 input rows at a
 * time with 12 accumulators (the BLIS-style outer-product micro-kernel: no horizontal sums, FMA-bound).
 */
#define VV_PANEL 16
#define VV_MR 6

VV_AVX2 static void pack_panel_avx2(int wtype, const char *w, int64_t k, int64_t es, float *panel) {
    /* panel[c * 16 + r] = W[r, c] for r < 16: 8 columns of 8 rows transposed at a time. */
    int64_t k8 = k & ~(int64_t)7;
    for (int half = 0; half < 2; half++) {
        const char *rows = w + (int64_t)half * 8 * k * es;
        for (int64_t c = 0; c < k8; c += 8) {
            __m256 r[8];
            for (int i = 0; i < 8; i++) {
                const char *src = rows + ((int64_t)i * k + c) * es;
                r[i] = wtype == VV_WEIGHT_BF16 ? vv_load8_bf16(src)
                       : wtype == VV_WEIGHT_F16 ? vv_load8_f16(src)
                                                : vv_load8_f32(src);
            }
            __m256 t0 = _mm256_unpacklo_ps(r[0], r[1]), t1 = _mm256_unpackhi_ps(r[0], r[1]);
            __m256 t2 = _mm256_unpacklo_ps(r[2], r[3]), t3 = _mm256_unpackhi_ps(r[2], r[3]);
            __m256 t4 = _mm256_unpacklo_ps(r[4], r[5]), t5 = _mm256_unpackhi_ps(r[4], r[5]);
            __m256 t6 = _mm256_unpacklo_ps(r[6], r[7]), t7 = _mm256_unpackhi_ps(r[6], r[7]);
            __m256 u0 = _mm256_shuffle_ps(t0, t2, 0x44), u1 = _mm256_shuffle_ps(t0, t2, 0xEE);
            __m256 u2 = _mm256_shuffle_ps(t1, t3, 0x44), u3 = _mm256_shuffle_ps(t1, t3, 0xEE);
            __m256 u4 = _mm256_shuffle_ps(t4, t6, 0x44), u5 = _mm256_shuffle_ps(t4, t6, 0xEE);
            __m256 u6 = _mm256_shuffle_ps(t5, t7, 0x44), u7 = _mm256_shuffle_ps(t5, t7, 0xEE);
            float *dst = panel + c * VV_PANEL + half * 8;
            _mm256_storeu_ps(dst + 0 * VV_PANEL, _mm256_permute2f128_ps(u0, u4, 0x20));
            _mm256_storeu_ps(dst + 1 * VV_PANEL, _mm256_permute2f128_ps(u1, u5, 0x20));
            _mm256_storeu_ps(dst + 2 * VV_PANEL, _mm256_permute2f128_ps(u2, u6, 0x20));
            _mm256_storeu_ps(dst + 3 * VV_PANEL, _mm256_permute2f128_ps(u3, u7, 0x20));
            _mm256_storeu_ps(dst + 4 * VV_PANEL, _mm256_permute2f128_ps(u0, u4, 0x31));
            _mm256_storeu_ps(dst + 5 * VV_PANEL, _mm256_permute2f128_ps(u1, u5, 0x31));
            _mm256_storeu_ps(dst + 6 * VV_PANEL, _mm256_permute2f128_ps(u2, u6, 0x31));
            _mm256_storeu_ps(dst + 7 * VV_PANEL, _mm256_permute2f128_ps(u3, u7, 0x31));
        }
        for (int64_t c = k8; c < k; c++)
            for (int i = 0; i < 8; i++) panel[c * VV_PANEL + half * 8 + i] = vv_weight_to_f32(wtype, rows, (int64_t)i * k + c);
    }
}

VV_AVX2 static void micro_6x16(const float *x, int64_t k, const float *panel, const float *bias, float *y, int64_t n) {
    __m256 c00 = _mm256_setzero_ps(), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
    __m256 c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
    const float *x0 = x, *x1 = x + k, *x2 = x1 + k, *x3 = x2 + k, *x4 = x3 + k, *x5 = x4 + k;
    for (int64_t c = 0; c < k; c++) {
        __m256 w0 = _mm256_loadu_ps(panel + c * VV_PANEL), w1 = _mm256_loadu_ps(panel + c * VV_PANEL + 8);
        __m256 b = _mm256_broadcast_ss(x0 + c);
        c00 = _mm256_fmadd_ps(b, w0, c00);
        c01 = _mm256_fmadd_ps(b, w1, c01);
        b = _mm256_broadcast_ss(x1 + c);
        c10 = _mm256_fmadd_ps(b, w0, c10);
        c11 = _mm256_fmadd_ps(b, w1, c11);
        b = _mm256_broadcast_ss(x2 + c);
        c20 = _mm256_fmadd_ps(b, w0, c20);
        c21 = _mm256_fmadd_ps(b, w1, c21);
        b = _mm256_broadcast_ss(x3 + c);
        c30 = _mm256_fmadd_ps(b, w0, c30);
        c31 = _mm256_fmadd_ps(b, w1, c31);
        b = _mm256_broadcast_ss(x4 + c);
        c40 = _mm256_fmadd_ps(b, w0, c40);
        c41 = _mm256_fmadd_ps(b, w1, c41);
        b = _mm256_broadcast_ss(x5 + c);
        c50 = _mm256_fmadd_ps(b, w0, c50);
        c51 = _mm256_fmadd_ps(b, w1, c51);
    }
    __m256 b0 = bias ? _mm256_loadu_ps(bias) : _mm256_setzero_ps();
    __m256 b1 = bias ? _mm256_loadu_ps(bias + 8) : _mm256_setzero_ps();
    _mm256_storeu_ps(y, _mm256_add_ps(c00, b0));
    _mm256_storeu_ps(y + 8, _mm256_add_ps(c01, b1));
    _mm256_storeu_ps(y + n, _mm256_add_ps(c10, b0));
    _mm256_storeu_ps(y + n + 8, _mm256_add_ps(c11, b1));
    _mm256_storeu_ps(y + 2 * n, _mm256_add_ps(c20, b0));
    _mm256_storeu_ps(y + 2 * n + 8, _mm256_add_ps(c21, b1));
    _mm256_storeu_ps(y + 3 * n, _mm256_add_ps(c30, b0));
    _mm256_storeu_ps(y + 3 * n + 8, _mm256_add_ps(c31, b1));
    _mm256_storeu_ps(y + 4 * n, _mm256_add_ps(c40, b0));
    _mm256_storeu_ps(y + 4 * n + 8, _mm256_add_ps(c41, b1));
    _mm256_storeu_ps(y + 5 * n, _mm256_add_ps(c50, b0));
    _mm256_storeu_ps(y + 5 * n + 8, _mm256_add_ps(c51, b1));
}

/*
 * Fewer than 6 input rows left: 4 or 2 rows at a time (8 or 4 independent accumulator chains, so the FMA latency
 * stays hidden), then a last single row. Every output element is the same sequential FMA chain over k as in
 * micro_6x16, so results do not depend on how rows are grouped.
 */
VV_AVX2 static void micro_4x16(const float *x, int64_t k, const float *panel, const float *bias, float *y, int64_t n) {
    __m256 c00 = _mm256_setzero_ps(), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
    const float *x0 = x, *x1 = x + k, *x2 = x1 + k, *x3 = x2 + k;
    for (int64_t c = 0; c < k; c++) {
        __m256 w0 = _mm256_loadu_ps(panel + c * VV_PANEL), w1 = _mm256_loadu_ps(panel + c * VV_PANEL + 8);
        __m256 b = _mm256_broadcast_ss(x0 + c);
        c00 = _mm256_fmadd_ps(b, w0, c00);
        c01 = _mm256_fmadd_ps(b, w1, c01);
        b = _mm256_broadcast_ss(x1 + c);
        c10 = _mm256_fmadd_ps(b, w0, c10);
        c11 = _mm256_fmadd_ps(b, w1, c11);
        b = _mm256_broadcast_ss(x2 + c);
        c20 = _mm256_fmadd_ps(b, w0, c20);
        c21 = _mm256_fmadd_ps(b, w1, c21);
        b = _mm256_broadcast_ss(x3 + c);
        c30 = _mm256_fmadd_ps(b, w0, c30);
        c31 = _mm256_fmadd_ps(b, w1, c31);
    }
    __m256 b0 = bias ? _mm256_loadu_ps(bias) : _mm256_setzero_ps();
    __m256 b1 = bias ? _mm256_loadu_ps(bias + 8) : _mm256_setzero_ps();
    _mm256_storeu_ps(y, _mm256_add_ps(c00, b0));
    _mm256_storeu_ps(y + 8, _mm256_add_ps(c01, b1));
    _mm256_storeu_ps(y + n, _mm256_add_ps(c10, b0));
    _mm256_storeu_ps(y + n + 8, _mm256_add_ps(c11, b1));
    _mm256_storeu_ps(y + 2 * n, _mm256_add_ps(c20, b0));
    _mm256_storeu_ps(y + 2 * n + 8, _mm256_add_ps(c21, b1));
    _mm256_storeu_ps(y + 3 * n, _mm256_add_ps(c30, b0));
    _mm256_storeu_ps(y + 3 * n + 8, _mm256_add_ps(c31, b1));
}

VV_AVX2 static void micro_2x16(const float *x, int64_t k, const float *panel, const float *bias, float *y, int64_t n) {
    __m256 c00 = _mm256_setzero_ps(), c01 = c00, c10 = c00, c11 = c00;
    const float *x0 = x, *x1 = x + k;
    for (int64_t c = 0; c < k; c++) {
        __m256 w0 = _mm256_loadu_ps(panel + c * VV_PANEL), w1 = _mm256_loadu_ps(panel + c * VV_PANEL + 8);
        __m256 b = _mm256_broadcast_ss(x0 + c);
        c00 = _mm256_fmadd_ps(b, w0, c00);
        c01 = _mm256_fmadd_ps(b, w1, c01);
        b = _mm256_broadcast_ss(x1 + c);
        c10 = _mm256_fmadd_ps(b, w0, c10);
        c11 = _mm256_fmadd_ps(b, w1, c11);
    }
    __m256 b0 = bias ? _mm256_loadu_ps(bias) : _mm256_setzero_ps();
    __m256 b1 = bias ? _mm256_loadu_ps(bias + 8) : _mm256_setzero_ps();
    _mm256_storeu_ps(y, _mm256_add_ps(c00, b0));
    _mm256_storeu_ps(y + 8, _mm256_add_ps(c01, b1));
    _mm256_storeu_ps(y + n, _mm256_add_ps(c10, b0));
    _mm256_storeu_ps(y + n + 8, _mm256_add_ps(c11, b1));
}

/* The last single row against the panel. */
VV_AVX2 static void micro_1x16(const float *x, int64_t k, const float *panel, const float *bias, float *y) {
    __m256 a0 = _mm256_setzero_ps(), a1 = a0;
    for (int64_t c = 0; c < k; c++) {
        __m256 b = _mm256_broadcast_ss(x + c);
        a0 = _mm256_fmadd_ps(b, _mm256_loadu_ps(panel + c * VV_PANEL), a0);
        a1 = _mm256_fmadd_ps(b, _mm256_loadu_ps(panel + c * VV_PANEL + 8), a1);
    }
    _mm256_storeu_ps(y, _mm256_add_ps(a0, bias ? _mm256_loadu_ps(bias) : _mm256_setzero_ps()));
    _mm256_storeu_ps(y + 8, _mm256_add_ps(a1, bias ? _mm256_loadu_ps(bias + 8) : _mm256_setzero_ps()));
}

/* Columns [j_begin, j_end) in panels of 16; returns the first column not done (the caller finishes the rest). */
VV_AVX2 static int64_t linear_panels_avx2(int wtype, const float *x, int64_t m, int64_t k, const void *w,
                                          const float *bias, float *y, int64_t n, int64_t j_begin, int64_t j_end) {
    int64_t es = wtype == VV_WEIGHT_F32 ? 4 : 2;
    float *panel = (float *)malloc((size_t)(k * VV_PANEL) * sizeof(float));
    if (!panel) return j_begin;
    int64_t j = j_begin;
    for (; j + VV_PANEL <= j_end; j += VV_PANEL) {
        pack_panel_avx2(wtype, (const char *)w + j * k * es, k, es, panel);
        const float *b = bias ? bias + j : NULL;
        int64_t i = 0;
        for (; i + VV_MR <= m; i += VV_MR) micro_6x16(x + i * k, k, panel, b, y + i * n + j, n);
        if (i + 4 <= m) {
            micro_4x16(x + i * k, k, panel, b, y + i * n + j, n);
            i += 4;
        }
        if (i + 2 <= m) {
            micro_2x16(x + i * k, k, panel, b, y + i * n + j, n);
            i += 2;
        }
        if (i < m) micro_1x16(x + i * k, k, panel, b, y + i * n + j);
    }
    free(panel);
    return j;
}

VV_AVX2 static void linear_avx2(int wtype, const float *x, int64_t m, int64_t k, const void *w, const float *bias,
                                float *y, int64_t n, int64_t j_begin, int64_t j_end) {
    int64_t es = wtype == VV_WEIGHT_F32 ? 4 : 2;
    if (m <= 2) {
        if (wtype == VV_WEIGHT_BF16) row1_bf16(wtype, x, m, k, (const char *)w, es, bias, y, n, j_begin, j_end);
        else if (wtype == VV_WEIGHT_F16) row1_f16(wtype, x, m, k, (const char *)w, es, bias, y, n, j_begin, j_end);
        else row1_f32(wtype, x, m, k, (const char *)w, es, bias, y, n, j_begin, j_end);
        return;
    }
    if (m <= 6) {
        rowm_kernel(m, wtype)(wtype, x, k, (const char *)w, es, bias, y, n, j_begin, j_end);
        return;
    }
    int64_t j = j_begin;
    if (m >= VV_PANEL_MIN_ROWS) j = linear_panels_avx2(wtype, x, m, k, w, bias, y, n, j_begin, j_end);
    /* Short prefill: widen each block of 4 half-precision weight rows once into an f32 scratch block. */
    float *scratch = NULL;
    if (m > 4 && wtype != VV_WEIGHT_F32) scratch = (float *)malloc((size_t)(4 * k) * sizeof(float));
    for (; j + 4 <= j_end; j += 4) {
        const char *w0 = (const char *)w + j * k * es;
        if (scratch) {
            convert_rows_avx2(wtype, w0, scratch, 4 * k);
            block4_f32(VV_WEIGHT_F32, x, m, k, (const char *)scratch, 4, bias, y, n, j);
        } else if (wtype == VV_WEIGHT_BF16) {
            block4_bf16(wtype, x, m, k, w0, es, bias, y, n, j);
        } else if (wtype == VV_WEIGHT_F16) {
            block4_f16(wtype, x, m, k, w0, es, bias, y, n, j);
        } else {
            block4_f32(wtype, x, m, k, w0, es, bias, y, n, j);
        }
    }
    free(scratch);
    if (j < j_end) linear_scalar(wtype, x, m, k, w, bias, y, n, j, j_end);
}
#endif

void vv_linear(int isa, int wtype, const float *x, int64_t m, int64_t k, const void *w, const float *bias, float *y,
               int64_t n, int64_t j_begin, int64_t j_end) {
#ifdef VV_X86
    if (isa == VV_ISA_AVX2) {
        linear_avx2(wtype, x, m, k, w, bias, y, n, j_begin, j_end);
        return;
    }
#endif
    (void)isa;
    linear_scalar(wtype, x, m, k, w, bias, y, n, j_begin, j_end);
}

#ifdef VV_X86
VV_AVX2 static void convert_avx2(int wtype, const void *src, float *dst, int64_t count) {
    convert_rows_avx2(wtype, (const char *)src, dst, count);
}
#endif

void vv_convert_to_f32(int isa, int wtype, const void *src, float *dst, int64_t count) {
#ifdef VV_X86
    if (isa == VV_ISA_AVX2) {
        convert_avx2(wtype, src, dst, count);
        return;
    }
#endif
    (void)isa;
    for (int64_t c = 0; c < count; c++) dst[c] = vv_weight_to_f32(wtype, src, c);
}

static uint16_t f32_to_bf16(float f) {
    uint32_t bits;
    memcpy(&bits, &f, 4);
    if ((bits & 0x7FFFFFFFu) > 0x7F800000u) return (uint16_t)((bits >> 16) | 0x40);
    bits += 0x7FFFu + ((bits >> 16) & 1u);
    return (uint16_t)(bits >> 16);
}

static uint16_t f32_to_f16(float f) {
    uint32_t bits;
    memcpy(&bits, &f, 4);
    uint16_t sign = (uint16_t)((bits >> 16) & 0x8000u);
    uint32_t mag = bits & 0x7FFFFFFFu;
    if (mag >= 0x7F800000u) return (uint16_t)(sign | 0x7C00u | (mag > 0x7F800000u ? 0x200u : 0u));
    if (mag >= 0x47800000u) return (uint16_t)(sign | 0x7C00u);
    if (mag < 0x38800000u) {
        float magnitude;
        memcpy(&magnitude, &mag, 4);
        float scaled = magnitude * 16777216.0f; /* 2^24: units of the smallest subnormal */
        uint32_t whole = (uint32_t)scaled;
        float frac = scaled - (float)whole;
        if (frac > 0.5f || (frac == 0.5f && (whole & 1u))) whole++;
        return (uint16_t)(sign | whole);
    }
    uint32_t rounded = (mag + 0xFFFu + ((mag >> 13) & 1u)) >> 13;
    return (uint16_t)(sign | (rounded - (112u << 10)));
}

void vv_convert_from_f32(int wtype, const float *src, uint16_t *dst, int64_t count) {
    for (int64_t c = 0; c < count; c++) dst[c] = wtype == VV_WEIGHT_BF16 ? f32_to_bf16(src[c]) : f32_to_f16(src[c]);
}
