/*
 * CVVKernels: the CPU backend's hot loops (fp32 arithmetic; weights f32, bf16 or f16 stored as uint16 bit patterns).
 *
 * Every kernel takes an `isa` argument: VV_ISA_SCALAR runs portable C that any CPU executes; VV_ISA_AVX2 runs
 * variants compiled with __attribute__((target("avx2,fma,f16c"))) and must only be passed when vv_isa_detected()
 * says the CPU and OS support it (the backend clamps its request to that). The rest of the binary keeps the default
 * baseline, so it starts on any x86-64 or ARM CPU. All pointers may be unaligned. Tensors are dense and row-major.
 */
#ifndef CVV_KERNELS_H
#define CVV_KERNELS_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/** Portable C. */
#define VV_ISA_SCALAR 0
/** x86-64 with AVX2, FMA and F16C (Haswell and later), OS-enabled YMM state. */
#define VV_ISA_AVX2 1

/** The best ISA level this CPU and OS support (CPUID + XGETBV on x86; scalar elsewhere). */
int vv_isa_detected(void);

/** Weight element types for vv_linear / vv_embedding. */
#define VV_WEIGHT_F32 0
#define VV_WEIGHT_BF16 1
#define VV_WEIGHT_F16 2

/**
 * y[i, j] = sum_k x[i, k] * w[j, k] + bias[j] for rows i in [0, m) and output columns j in [j_begin, j_end).
 * x is [m, k] f32, w is [n, k] of `wtype`, bias is [n] f32 or NULL, y is [m, n] f32 (row stride n).
 * Threads call it on disjoint column ranges.
 */
void vv_linear(int isa, int wtype, const float *x, int64_t m, int64_t k, const void *w, const float *bias, float *y,
               int64_t n, int64_t j_begin, int64_t j_end);

/** Widens `count` elements of `wtype` at `src` to f32 at `dst`. */
void vv_convert_to_f32(int isa, int wtype, const void *src, float *dst, int64_t count);

/** Rounds `count` f32 values to bf16 (wtype VV_WEIGHT_BF16) or f16 (VV_WEIGHT_F16), nearest-even. */
void vv_convert_from_f32(int wtype, const float *src, uint16_t *dst, int64_t count);

/** y[r] = w * x[r] / sqrt(mean(x[r]^2) + eps) for each of `rows` rows of length n; w may be NULL (no weight). */
void vv_rms_norm_f32(int isa, const float *x, const float *w, float *y, int64_t rows, int64_t n, float eps);

/**
 * Rotary embedding (rotate-half): x and y are [rows, heads * head_dim], positions [rows].
 * inv_freq[i] = 1 / theta^(2i/head_dim) and the angle pos * inv_freq are computed in f32 as transformers does.
 */
void vv_rope_f32(const float *x, const int32_t *positions, float *y, int64_t rows, int64_t heads, int64_t head_dim,
                 double theta);

/**
 * The `group` query heads of one GQA group (q and out: group rows of d floats, contiguous) attending to `len`
 * cached positions of their shared key/value head: k and v point at [len, d] rows of `kvtype` (VV_WEIGHT_F32,
 * _BF16 or _F16) with row stride `stride` elements; scratch holds at least group * len floats.
 * out[g] = softmax(scale * q[g].k) . v, in f32.
 */
void vv_attention_group_f32(int isa, const float *q, int64_t group, const void *k, const void *v, int kvtype,
                            int64_t len, int64_t d, int64_t stride, float scale, float *scratch, float *out);

/** y = silu(g) * u elementwise. */
void vv_silu_mul_f32(const float *g, const float *u, float *y, int64_t count);

/** Unary functions for vv_unary_f32. */
#define VV_UNARY_SILU 0
#define VV_UNARY_GELU 1
#define VV_UNARY_SIGMOID 2
#define VV_UNARY_RELU 3

/** y = f(x) elementwise. */
void vv_unary_f32(int op, const float *x, float *y, int64_t count);
/** Exact-erf GELU: erff in the portable kernel; on AVX2 a rational erf within 4.5e-7 (GELU within 1e-6 relative). */
void vv_gelu_f32(int isa, const float *x, float *y, int64_t count);

/** Binary functions for vv_binary_f32. */
#define VV_BINARY_ADD 0
#define VV_BINARY_MUL 1

/** y[r, c] = a[r, c] op b[(r % b_rows), c] for `rows` rows of `cols` (b broadcast when b_rows is 1). */
void vv_binary_f32(int op, const float *a, const float *b, float *y, int64_t rows, int64_t cols, int64_t b_rows);

/** y = x * factor. */
void vv_scale_f32(const float *x, float factor, float *y, int64_t count);

/**
 * Index of the maximum of x[0..n) (lowest on ties; NaN counts as the maximum, like torch.argmax). With `allowed`
 * (allowed_count ids, each in range), only those indices compete and ties go to the lowest id.
 */
int64_t vv_argmax_f32(const float *x, int64_t n, const int32_t *allowed, int64_t allowed_count);

/**
 * 1-D convolution without padding for output rows [task_begin, task_end) of batch * cout rows: x [batch, cin, t_in],
 * w [cout, cin/groups, kernel] of `wtype`, bias [cout] or NULL, y [batch, cout, t_out].
 */
void vv_conv1d_f32(int wtype, const float *x, const void *w, const float *bias, float *y, int64_t cin, int64_t t_in,
                   int64_t cout, int64_t kernel, int64_t t_out, int64_t stride, int64_t dilation, int64_t groups,
                   int64_t task_begin, int64_t task_end);

/**
 * Transposed 1-D convolution, all (t_in - 1) * stride + kernel output frames, for output rows [task_begin, task_end)
 * of batch * cout rows: x [batch, cin, t_in], w [cin, cout/groups, kernel] of `wtype`, bias [cout] or NULL.
 */
void vv_conv_transpose1d_f32(int wtype, const float *x, const void *w, const float *bias, float *y, int64_t cin,
                             int64_t t_in, int64_t cout, int64_t kernel, int64_t stride, int64_t groups,
                             int64_t task_begin, int64_t task_end);

/**
 * Transposed 1-D convolution with groups = 1 for output channels [o_begin, o_end) of every batch row: each weight row
 * w[ci, o_begin..o_end, :] is streamed once per input frame and accumulated with FMA (the shape of the σ-VAE decoder's
 * upsampling layers, whose weights dominate). Same result as vv_conv_transpose1d_f32.
 */
void vv_conv_transpose1d_dense_f32(int isa, int wtype, const float *x, const void *w, const float *bias, float *y,
                                   int64_t batch, int64_t cin, int64_t t_in, int64_t cout, int64_t kernel,
                                   int64_t stride, int64_t o_begin, int64_t o_end);

/**
 * Unfolds conv1d input patches: cols[(b * t_out + t), ci * kernel + k] = x[b, ci, t * stride + k * dilation], so a
 * groups-1 convolution becomes a matmul with the weight viewed as [cout, cin * kernel].
 */
void vv_im2col_f32(const float *x, float *cols, int64_t batch, int64_t cin, int64_t t_in, int64_t kernel,
                   int64_t t_out, int64_t stride, int64_t dilation);

/** y[b] = x[b]^T for `batch` row-major [rows, cols] matrices. */
void vv_transpose_batched_f32(const float *x, float *y, int64_t batch, int64_t rows, int64_t cols);

/** y[r, c] = x[r, c] * (1 + scale[r % param_rows, c]) + shift[r % param_rows, c] (adaLN modulation). */
void vv_modulate_f32(const float *x, const float *shift, const float *scale, float *y, int64_t rows, int64_t cols,
                     int64_t param_rows);

/**
 * Sinusoidal timestep embedding as upstream's TimestepEmbedder: freqs[i] = exp(-ln(max_period) * i / half) in f32,
 * y[r] = [cos(t[r] * freqs), sin(t[r] * freqs)] (cos first), plus one zero column when dim is odd.
 */
void vv_timestep_embedding_f32(const float *t, float *y, int64_t rows, int64_t dim, double max_period);

/** y += a * x. */
void vv_axpy_f32(float a, const float *x, float *y, int64_t count);

#ifdef __cplusplus
}
#endif

#endif
