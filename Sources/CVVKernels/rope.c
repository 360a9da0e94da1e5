/* vv_rope_f32: rotary position embedding, HF "default" type, rotate-half convention. */
#include <math.h>
#include <stdlib.h>
#include "cvv_kernels.h"

void vv_rope_f32(const float *x, const int32_t *positions, float *y, int64_t rows, int64_t heads, int64_t head_dim,
                 double theta) {
    int64_t half = head_dim / 2;
    float *inv_freq = (float *)malloc((size_t)(half > 0 ? half : 1) * 3 * sizeof(float));
    if (!inv_freq) return;
    float *cosv = inv_freq + half, *sinv = cosv + half;
    /* transformers: 1.0 / (base ** (arange(0, dim, 2).float() / dim)), all in f32. */
    for (int64_t i = 0; i < half; i++) {
        float exponent = (float)(2 * i) / (float)head_dim;
        inv_freq[i] = 1.0f / powf((float)theta, exponent);
    }
    for (int64_t r = 0; r < rows; r++) {
        float pos = (float)positions[r];
        for (int64_t i = 0; i < half; i++) {
            float angle = pos * inv_freq[i];
            cosv[i] = cosf(angle);
            sinv[i] = sinf(angle);
        }
        for (int64_t h = 0; h < heads; h++) {
            const float *xh = x + (r * heads + h) * head_dim;
            float *yh = y + (r * heads + h) * head_dim;
            for (int64_t i = 0; i < half; i++) {
                float a = xh[i], b = xh[i + half];
                yh[i] = a * cosv[i] - b * sinv[i];
                yh[i + half] = b * cosv[i] + a * sinv[i];
            }
        }
    }
    free(inv_freq);
}
