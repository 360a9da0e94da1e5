/* Layout and dtype kernels: conversions between f32 and bf16/f16, strided 2-D copies (concat and slice of any
 * dtype, in 16-bit units since every dtype is a multiple of 2 bytes), batched transpose of the last two dims.
 * Launch: any grid, grid-stride over the elements. */

extern "C" __global__ void vv_convert_f32_to_bf16(const float *x, unsigned short *y, long long count) {
    VV_GRID_STRIDE(i, count) y[i] = vv_f32_to_bf16(x[i]);
}

extern "C" __global__ void vv_convert_f32_to_f16(const float *x, unsigned short *y, long long count) {
    VV_GRID_STRIDE(i, count) y[i] = vv_f32_to_f16(x[i]);
}

extern "C" __global__ void vv_convert_bf16_to_f32(const unsigned short *x, float *y, long long count) {
    VV_GRID_STRIDE(i, count) y[i] = vv_bf16_to_f32(x[i]);
}

extern "C" __global__ void vv_convert_f16_to_f32(const unsigned short *x, float *y, long long count) {
    VV_GRID_STRIDE(i, count) y[i] = vv_f16_to_f32(x[i]);
}

/* rows rows of width 16-bit units: dst[r * dstPitch + c] = src[r * srcPitch + c] (pitches in 16-bit units). */
extern "C" __global__ void vv_copy_2d_u16(unsigned short *dst, long long dstPitch, const unsigned short *src,
                                          long long srcPitch, long long width, long long rows) {
    VV_GRID_STRIDE(i, rows * width) {
        long long r = i / width, c = i % width;
        dst[r * dstPitch + c] = src[r * srcPitch + c];
    }
}

/* y[b, c, r] = x[b, r, c] for x [batch, m, n]. */
extern "C" __global__ void vv_transpose_f32(const float *x, float *y, int batch, int m, int n) {
    VV_GRID_STRIDE(i, (long long)batch * m * n) {
        long long mn = (long long)m * n, b = i / mn, rest = i % mn;
        long long r = rest / n, c = rest % n;
        y[b * mn + c * m + r] = x[i];
    }
}
