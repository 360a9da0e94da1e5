/* Scalar half-precision conversions shared by the kernel files (internal header). */
#ifndef CVV_HALF_H
#define CVV_HALF_H
#include <stdint.h>
#include <string.h>

static inline float vv_bf16_to_f32(uint16_t h) {
    uint32_t bits = (uint32_t)h << 16;
    float f;
    memcpy(&f, &bits, 4);
    return f;
}

static inline float vv_f16_to_f32(uint16_t h) {
    uint32_t sign = (uint32_t)(h & 0x8000) << 16;
    uint32_t exponent = (h >> 10) & 0x1F, mantissa = h & 0x3FF, bits;
    if (exponent == 0x1F) {
        bits = sign | 0x7F800000u | (mantissa << 13);
    } else if (exponent == 0) {
        if (mantissa == 0) {
            bits = sign;
        } else {
            float f = (float)mantissa * 5.9604644775390625e-8f; /* 2^-24 */
            return sign ? -f : f;
        }
    } else {
        bits = sign | ((exponent + 112) << 23) | (mantissa << 13);
    }
    float f;
    memcpy(&f, &bits, 4);
    return f;
}

static inline float vv_weight_to_f32(int wtype, const void *w, int64_t index) {
    if (wtype == 0) {
        float f;
        memcpy(&f, (const char *)w + index * 4, 4);
        return f;
    }
    uint16_t h;
    memcpy(&h, (const char *)w + index * 2, 2);
    return wtype == 1 ? vv_bf16_to_f32(h) : vv_f16_to_f32(h);
}

#if defined(__x86_64__) || defined(_M_X64) || defined(__i386__) || defined(_M_IX86)
#define VV_X86 1
#include <immintrin.h>
#define VV_AVX2 __attribute__((target("avx2,fma,f16c")))

VV_AVX2 static inline float vv_hsum256(__m256 v) {
    __m128 lo = _mm_add_ps(_mm256_castps256_ps128(v), _mm256_extractf128_ps(v, 1));
    __m128 sh = _mm_movehdup_ps(lo);
    lo = _mm_add_ps(lo, sh);
    sh = _mm_movehl_ps(sh, lo);
    return _mm_cvtss_f32(_mm_add_ss(lo, sh));
}

VV_AVX2 static inline __m256 vv_load8_f32(const void *p) { return _mm256_loadu_ps((const float *)p); }

VV_AVX2 static inline __m256 vv_load8_bf16(const void *p) {
    __m256i wide = _mm256_cvtepu16_epi32(_mm_loadu_si128((const __m128i *)p));
    return _mm256_castsi256_ps(_mm256_slli_epi32(wide, 16));
}

VV_AVX2 static inline __m256 vv_load8_f16(const void *p) { return _mm256_cvtph_ps(_mm_loadu_si128((const __m128i *)p)); }
#endif

#endif
