/* Elementwise f32 kernels: SiLU-mul, unary activations, broadcasting add/mul, scale, adaLN modulate, axpy (the
 * DPM/CFG combine), sinusoidal timestep embedding. Formulas follow VVComputeCPU's portable kernels operation for
 * operation. Launch: any grid, grid-stride over the elements. */

#define VV_UNARY_SILU 0
#define VV_UNARY_GELU 1
#define VV_UNARY_SIGMOID 2
#define VV_UNARY_RELU 3
#define VV_BINARY_ADD 0
#define VV_BINARY_MUL 1

__device__ __forceinline__ float vv_silu(float x) { return x / (1.0f + expf(-x)); }

extern "C" __global__ void vv_silu_mul_f32(const float *g, const float *u, float *y, long long count) {
    VV_GRID_STRIDE(i, count) y[i] = vv_silu(g[i]) * u[i];
}

extern "C" __global__ void vv_unary_f32(int op, const float *x, float *y, long long count) {
    VV_GRID_STRIDE(i, count) {
        float v = x[i];
        if (op == VV_UNARY_SILU) y[i] = vv_silu(v);
        else if (op == VV_UNARY_GELU) y[i] = 0.5f * v * (1.0f + erff(v * 0.70710678118654752f));
        else if (op == VV_UNARY_SIGMOID) y[i] = 1.0f / (1.0f + expf(-v));
        else y[i] = v > 0.0f ? v : 0.0f;
    }
}

/* y = a op b, b either the same shape (bRows == rows) or rows repeating every bRows rows. */
extern "C" __global__ void vv_binary_f32(int op, const float *a, const float *b, float *y, int rows, int cols,
                                         int bRows) {
    VV_GRID_STRIDE(i, (long long)rows * cols) {
        long long r = i / cols, c = i % cols;
        float bv = b[(r % bRows) * cols + c];
        y[i] = op == VV_BINARY_ADD ? a[i] + bv : a[i] * bv;
    }
}

extern "C" __global__ void vv_scale_f32(const float *x, float factor, float *y, long long count) {
    VV_GRID_STRIDE(i, count) y[i] = x[i] * factor;
}

/* y = x * (1 + scale) + shift, shift/scale repeating every paramRows rows. */
extern "C" __global__ void vv_modulate_f32(const float *x, const float *shift, const float *scale, float *y, int rows,
                                           int cols, int paramRows) {
    VV_GRID_STRIDE(i, (long long)rows * cols) {
        long long r = i / cols, c = i % cols, p = (r % paramRows) * cols + c;
        y[i] = x[i] * (1.0f + scale[p]) + shift[p];
    }
}

/* y += a * x (combine zeroes y, then adds each term in order, as the CPU backend does). */
extern "C" __global__ void vv_axpy_f32(float a, const float *x, float *y, long long count) {
    VV_GRID_STRIDE(i, count) y[i] += a * x[i];
}

/* y[r, i] = cos(t[r] * f_i), y[r, half + i] = sin(t[r] * f_i), f_i = exp(negLogMaxPeriod * i / half) in f32;
 * an odd dim leaves the last column 0. negLogMaxPeriod = (float)(-log(maxPeriod)) computed on the host in double;
 * exp, cos and sin are evaluated in double and rounded once (see rope.cu). */
extern "C" __global__ void vv_timestep_embedding_f32(const float *t, float *y, int rows, int dim,
                                                     float negLogMaxPeriod) {
    int half = dim / 2;
    VV_GRID_STRIDE(i, (long long)rows * dim) {
        long long r = i / dim;
        int c = (int)(i % dim);
        if (c >= 2 * half) {
            y[i] = 0.0f;
            continue;
        }
        int k = c < half ? c : c - half;
        float freq = (float)exp((double)(negLogMaxPeriod * (float)k / (float)half));
        float arg = t[r] * freq;
        y[i] = c < half ? (float)cos((double)arg) : (float)sin((double)arg);
    }
}
