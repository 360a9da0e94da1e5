/* rope: rotary position embedding, HF "default" type, rotate-half convention, x and y [rows, heads * headDim],
 * positions i32 [rows]. inv_freq = 1 / theta^(2i / headDim) in f32, as transformers computes it; the power and the
 * sine/cosine are evaluated in double and rounded once, so they agree with a correctly rounded libm (the CPU
 * backend's powf/sinf/cosf) to the last bit in nearly all cases even at positions in the thousands.
 * Launch: any grid, grid-stride over rows * heads * headDim / 2. */

extern "C" __global__ void vv_rope_f32(const float *x, const int *positions, float *y, int rows, int heads,
                                       int headDim, float theta) {
    int half = headDim / 2;
    VV_GRID_STRIDE(i, (long long)rows * heads * half) {
        long long rh = i / half;
        int k = (int)(i % half);
        long long r = rh / heads;
        float power = (float)pow((double)theta, (double)((float)(2 * k) / (float)headDim));
        float angle = (float)positions[r] * (1.0f / power);
        float s = (float)sin((double)angle), c = (float)cos((double)angle);
        const float *xh = x + rh * headDim;
        float *yh = y + rh * headDim;
        float a = xh[k], b = xh[k + half];
        yh[k] = a * c - b * s;
        yh[k + half] = b * c + a * s;
    }
}
