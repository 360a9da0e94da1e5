/* vv_attention_group_f32: the query heads of one GQA group over their cached keys/values (softmax in f32). */
#include <math.h>
#include "cvv_kernels.h"
#include "half.h"

static void attention_scalar(const float *q, const void *k, const void *v, int kvtype, int64_t len, int64_t d,
                             int64_t stride, float scale, float *scores, float *out) {
    float maxv = -INFINITY;
    for (int64_t j = 0; j < len; j++) {
        float s = 0.0f;
        for (int64_t c = 0; c < d; c++) s += q[c] * vv_weight_to_f32(kvtype, k, j * stride + c);
        s *= scale;
        scores[j] = s;
        if (s > maxv) maxv = s;
    }
    float total = 0.0f;
    for (int64_t j = 0; j < len; j++) {
        scores[j] = expf(scores[j] - maxv);
        total += scores[j];
    }
    for (int64_t c = 0; c < d; c++) out[c] = 0.0f;
    for (int64_t j = 0; j < len; j++) {
        float p = scores[j] / total;
        for (int64_t c = 0; c < d; c++) out[c] += p * vv_weight_to_f32(kvtype, v, j * stride + c);
    }
}

#ifdef VV_X86
/* exp(x) for 8 lanes (Cephes expf polynomial, about 2 ulp), inputs clamped to the finite range. */
VV_AVX2 static inline __m256 exp256(__m256 x) {
    x = _mm256_min_ps(_mm256_max_ps(x, _mm256_set1_ps(-87.3f)), _mm256_set1_ps(88.3f));
    __m256 fx = _mm256_round_ps(_mm256_mul_ps(x, _mm256_set1_ps(1.44269504088896341f)),
                                _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
    x = _mm256_fnmadd_ps(fx, _mm256_set1_ps(0.693359375f), x);
    x = _mm256_fnmadd_ps(fx, _mm256_set1_ps(-2.12194440e-4f), x);
    __m256 z = _mm256_mul_ps(x, x);
    __m256 y = _mm256_set1_ps(1.9875691500e-4f);
    y = _mm256_fmadd_ps(y, x, _mm256_set1_ps(1.3981999507e-3f));
    y = _mm256_fmadd_ps(y, x, _mm256_set1_ps(8.3334519073e-3f));
    y = _mm256_fmadd_ps(y, x, _mm256_set1_ps(4.1665795894e-2f));
    y = _mm256_fmadd_ps(y, x, _mm256_set1_ps(1.6666665459e-1f));
    y = _mm256_fmadd_ps(y, x, _mm256_set1_ps(5.0000001201e-1f));
    y = _mm256_add_ps(_mm256_fmadd_ps(y, z, x), _mm256_set1_ps(1.0f));
    __m256i e = _mm256_slli_epi32(_mm256_add_epi32(_mm256_cvtps_epi32(fx), _mm256_set1_epi32(127)), 23);
    return _mm256_mul_ps(y, _mm256_castsi256_ps(e));
}

/* Scores of one query against positions [t0, t1): four positions at a time (independent FMA chains). */
#define VV_SCORE_RANGE(SUFFIX, LOAD8, ES) \
VV_AVX2 static void score_range_##SUFFIX(const float *q, const char *k, int64_t t0, int64_t t1, int64_t d, \
                                     int64_t stride, float scale, float *scores) { \
    int64_t j = t0; \
    for (; j + 4 <= t1; j += 4) { \
        const char *k0 = k + j * stride * ES, *k1 = k0 + stride * ES, *k2 = k1 + stride * ES, *k3 = k2 + stride * ES; \
        __m256 a0 = _mm256_setzero_ps(), a1 = a0, a2 = a0, a3 = a0; \
        for (int64_t c = 0; c < d; c += 8) { \
            __m256 qv = _mm256_loadu_ps(q + c); \
            a0 = _mm256_fmadd_ps(qv, LOAD8(k0 + c * ES), a0); \
            a1 = _mm256_fmadd_ps(qv, LOAD8(k1 + c * ES), a1); \
            a2 = _mm256_fmadd_ps(qv, LOAD8(k2 + c * ES), a2); \
            a3 = _mm256_fmadd_ps(qv, LOAD8(k3 + c * ES), a3); \
        } \
        __m256 s = _mm256_hadd_ps(_mm256_hadd_ps(a0, a1), _mm256_hadd_ps(a2, a3)); \
        __m128 r = _mm_add_ps(_mm256_castps256_ps128(s), _mm256_extractf128_ps(s, 1)); \
        _mm_storeu_ps(scores + j, _mm_mul_ps(r, _mm_set1_ps(scale))); \
    } \
    for (; j < t1; j++) { \
        const char *kj = k + j * stride * ES; \
        __m256 acc = _mm256_setzero_ps(); \
        for (int64_t c = 0; c < d; c += 8) acc = _mm256_fmadd_ps(_mm256_loadu_ps(q + c), LOAD8(kj + c * ES), acc); \
        scores[j] = vv_hsum256(acc) * scale; \
    } \
}

/* out[0..d) += sum over j in [t0, t1) of p[j] * v[j], 64 columns at a time in registers. */
#define VV_ACCUMULATE_RANGE(SUFFIX, LOAD8, ES) \
VV_AVX2 static void accumulate_range_##SUFFIX(const float *p, const char *v, int64_t t0, int64_t t1, int64_t d, \
                                          int64_t stride, float *out) { \
    int64_t c0 = 0; \
    for (; c0 + 64 <= d; c0 += 64) { \
        float *oc = out + c0; \
        __m256 o0 = _mm256_loadu_ps(oc), o1 = _mm256_loadu_ps(oc + 8), o2 = _mm256_loadu_ps(oc + 16); \
        __m256 o3 = _mm256_loadu_ps(oc + 24), o4 = _mm256_loadu_ps(oc + 32), o5 = _mm256_loadu_ps(oc + 40); \
        __m256 o6 = _mm256_loadu_ps(oc + 48), o7 = _mm256_loadu_ps(oc + 56); \
        for (int64_t j = t0; j < t1; j++) { \
            const char *vj = v + (j * stride + c0) * ES; \
            __m256 w = _mm256_broadcast_ss(p + j); \
            o0 = _mm256_fmadd_ps(w, LOAD8(vj), o0); \
            o1 = _mm256_fmadd_ps(w, LOAD8(vj + 8 * ES), o1); \
            o2 = _mm256_fmadd_ps(w, LOAD8(vj + 16 * ES), o2); \
            o3 = _mm256_fmadd_ps(w, LOAD8(vj + 24 * ES), o3); \
            o4 = _mm256_fmadd_ps(w, LOAD8(vj + 32 * ES), o4); \
            o5 = _mm256_fmadd_ps(w, LOAD8(vj + 40 * ES), o5); \
            o6 = _mm256_fmadd_ps(w, LOAD8(vj + 48 * ES), o6); \
            o7 = _mm256_fmadd_ps(w, LOAD8(vj + 56 * ES), o7); \
        } \
        _mm256_storeu_ps(oc, o0); \
        _mm256_storeu_ps(oc + 8, o1); \
        _mm256_storeu_ps(oc + 16, o2); \
        _mm256_storeu_ps(oc + 24, o3); \
        _mm256_storeu_ps(oc + 32, o4); \
        _mm256_storeu_ps(oc + 40, o5); \
        _mm256_storeu_ps(oc + 48, o6); \
        _mm256_storeu_ps(oc + 56, o7); \
    } \
    for (; c0 < d; c0 += 8) { \
        __m256 acc = _mm256_loadu_ps(out + c0); \
        for (int64_t j = t0; j < t1; j++) \
            acc = _mm256_fmadd_ps(_mm256_broadcast_ss(p + j), LOAD8(v + (j * stride + c0) * ES), acc); \
        _mm256_storeu_ps(out + c0, acc); \
    } \
}

VV_SCORE_RANGE(f32, vv_load8_f32, 4)
VV_SCORE_RANGE(bf16, vv_load8_bf16, 2)
VV_SCORE_RANGE(f16, vv_load8_f16, 2)
VV_ACCUMULATE_RANGE(f32, vv_load8_f32, 4)
VV_ACCUMULATE_RANGE(bf16, vv_load8_bf16, 2)
VV_ACCUMULATE_RANGE(f16, vv_load8_f16, 2)

/* Softmax numerators in place (vector exp); returns 1 / their sum. */
VV_AVX2 static float softmax_avx2(float *scores, int64_t len) {
    float maxv = -INFINITY;
    for (int64_t j = 0; j < len; j++) maxv = scores[j] > maxv ? scores[j] : maxv;
    __m256 vmax = _mm256_set1_ps(maxv), vsum = _mm256_setzero_ps();
    int64_t j = 0;
    for (; j + 8 <= len; j += 8) {
        __m256 e = exp256(_mm256_sub_ps(_mm256_loadu_ps(scores + j), vmax));
        _mm256_storeu_ps(scores + j, e);
        vsum = _mm256_add_ps(vsum, e);
    }
    float total = vv_hsum256(vsum);
    for (; j < len; j++) {
        scores[j] = expf(scores[j] - maxv);
        total += scores[j];
    }
    return 1.0f / total;
}

/*
 * The query heads of one GQA group against their shared cache, in tiles of 16 KB of keys (or values) so that each
 * tile is read from memory once and reused from L1 by every head of the group. Requires d % 8 == 0.
 */
VV_AVX2 static void attention_group_avx2(const float *q, int64_t group, const char *k, const char *v, int kvtype,
                                         int64_t len, int64_t d, int64_t stride, float scale, float *scores,
                                         float *out) {
    int64_t tile = (4096 / d) & ~(int64_t)3;
    if (tile < 4) tile = 4;
    for (int64_t t0 = 0; t0 < len; t0 += tile) {
        int64_t t1 = t0 + tile < len ? t0 + tile : len;
        for (int64_t g = 0; g < group; g++) {
            if (kvtype == VV_WEIGHT_BF16) score_range_bf16(q + g * d, k, t0, t1, d, stride, scale, scores + g * len);
            else if (kvtype == VV_WEIGHT_F16) score_range_f16(q + g * d, k, t0, t1, d, stride, scale, scores + g * len);
            else score_range_f32(q + g * d, k, t0, t1, d, stride, scale, scores + g * len);
        }
    }
    for (int64_t g = 0; g < group; g++) {
        float inv = softmax_avx2(scores + g * len, len);
        float *sg = scores + g * len;
        for (int64_t j = 0; j < len; j++) sg[j] *= inv;
        for (int64_t c = 0; c < d; c++) out[g * d + c] = 0.0f;
    }
    for (int64_t t0 = 0; t0 < len; t0 += tile) {
        int64_t t1 = t0 + tile < len ? t0 + tile : len;
        for (int64_t g = 0; g < group; g++) {
            const float *p = scores + g * len;
            if (kvtype == VV_WEIGHT_BF16) accumulate_range_bf16(p, v, t0, t1, d, stride, out + g * d);
            else if (kvtype == VV_WEIGHT_F16) accumulate_range_f16(p, v, t0, t1, d, stride, out + g * d);
            else accumulate_range_f32(p, v, t0, t1, d, stride, out + g * d);
        }
    }
}
#endif

void vv_attention_group_f32(int isa, const float *q, int64_t group, const void *k, const void *v, int kvtype,
                            int64_t len, int64_t d, int64_t stride, float scale, float *scratch, float *out) {
#ifdef VV_X86
    if (isa == VV_ISA_AVX2 && d % 8 == 0) {
        attention_group_avx2(q, group, (const char *)k, (const char *)v, kvtype, len, d, stride, scale, scratch, out);
        return;
    }
#endif
    (void)isa;
    for (int64_t g = 0; g < group; g++)
        attention_scalar(q + g * d, k, v, kvtype, len, d, stride, scale, scratch, out + g * d);
}
