/* attention: causal GQA attention of f32 queries [batch * queryLength, heads * headDim] over caches
 * [batch, kvHeads, capacity, headDim] (f32/bf16/f16, keys and values the same dtype). Query row r (sequence
 * r / queryLength) sees cache positions 0 ... positions[r]; query head h reads kv head h / (heads / kvHeads).
 * Softmax and accumulation in f32, online (running max and sum), so any context length fits.
 * One block of VV_ATTN_WARPS warps per (row, head); warp w takes positions w, w + VV_ATTN_WARPS, ...; the warps'
 * partial results are merged through shared memory. headDim <= VV_ATTN_MAX_D (the host checks).
 * Launch: blockDim 32 * VV_ATTN_WARPS, any grid (grid-stride over rows * heads). */

#define VV_ATTN_WARPS 4
#define VV_ATTN_MAX_D 256
#define VV_ATTN_PER_LANE (VV_ATTN_MAX_D / 32)

template <int DT>
__device__ __forceinline__ void attention_body(const float *q, const void *k, const void *v, const int *positions,
                                               float *out, int batch, int queryLength, int heads, int kvHeads,
                                               int headDim, int capacity, float scale) {
    __shared__ float sMax[VV_ATTN_WARPS], sSum[VV_ATTN_WARPS];
    __shared__ float sAcc[VV_ATTN_WARPS][VV_ATTN_MAX_D];
    int lane = threadIdx.x & 31, warp = threadIdx.x >> 5;
    int group = heads / kvHeads;
    long long tasks = (long long)batch * queryLength * heads;
    for (long long task = blockIdx.x; task < tasks; task += gridDim.x) {
        int h = (int)(task % heads);
        long long r = task / heads;
        int b = (int)(r / queryLength);
        int kvHead = h / group;
        int len = positions[r] + 1;
        if (len > capacity) len = capacity;
        const float *qr = q + (r * heads + h) * headDim;
        long long base = ((long long)b * kvHeads + kvHead) * capacity * headDim;
        float qv[VV_ATTN_PER_LANE], acc[VV_ATTN_PER_LANE];
#pragma unroll
        for (int i = 0; i < VV_ATTN_PER_LANE; i++) {
            int c = lane + 32 * i;
            qv[i] = c < headDim ? qr[c] : 0.0f;
            acc[i] = 0.0f;
        }
        float runningMax = VV_NEG_INF, runningSum = 0.0f;
        for (int j = warp; j < len; j += VV_ATTN_WARPS) {
            long long row = base + (long long)j * headDim;
            float dot = 0.0f;
#pragma unroll
            for (int i = 0; i < VV_ATTN_PER_LANE; i++) {
                int c = lane + 32 * i;
                if (c < headDim) dot += qv[i] * vv_load<DT>(k, row + c);
            }
            float score = vv_warp_sum(dot) * scale;
            float newMax = fmaxf(runningMax, score);
            float correction = expf(runningMax - newMax);
            float p = expf(score - newMax);
            runningSum = runningSum * correction + p;
#pragma unroll
            for (int i = 0; i < VV_ATTN_PER_LANE; i++) {
                int c = lane + 32 * i;
                if (c < headDim) acc[i] = acc[i] * correction + p * vv_load<DT>(v, row + c);
            }
            runningMax = newMax;
        }
        if (lane == 0) {
            sMax[warp] = runningMax;
            sSum[warp] = runningSum;
        }
#pragma unroll
        for (int i = 0; i < VV_ATTN_PER_LANE; i++) {
            int c = lane + 32 * i;
            if (c < headDim) sAcc[warp][c] = acc[i];
        }
        __syncthreads();
        float m = VV_NEG_INF;
        for (int w = 0; w < VV_ATTN_WARPS; w++)
            if (sSum[w] > 0.0f) m = fmaxf(m, sMax[w]);
        float total = 0.0f;
        for (int w = 0; w < VV_ATTN_WARPS; w++)
            if (sSum[w] > 0.0f) total += sSum[w] * expf(sMax[w] - m);
        for (int c = threadIdx.x; c < headDim; c += blockDim.x) {
            float o = 0.0f;
            for (int w = 0; w < VV_ATTN_WARPS; w++)
                if (sSum[w] > 0.0f) o += sAcc[w][c] * expf(sMax[w] - m);
            out[(r * heads + h) * headDim + c] = total > 0.0f ? o / total : 0.0f;
        }
        __syncthreads();
    }
}

extern "C" __global__ void vv_attention_f32(const float *q, const void *k, const void *v, const int *positions,
                                            float *out, int batch, int queryLength, int heads, int kvHeads,
                                            int headDim, int capacity, float scale) {
    attention_body<VV_DTYPE_F32>(q, k, v, positions, out, batch, queryLength, heads, kvHeads, headDim, capacity,
                                 scale);
}

extern "C" __global__ void vv_attention_bf16(const float *q, const void *k, const void *v, const int *positions,
                                             float *out, int batch, int queryLength, int heads, int kvHeads,
                                             int headDim, int capacity, float scale) {
    attention_body<VV_DTYPE_BF16>(q, k, v, positions, out, batch, queryLength, heads, kvHeads, headDim, capacity,
                                  scale);
}

extern "C" __global__ void vv_attention_f16(const float *q, const void *k, const void *v, const int *positions,
                                            float *out, int batch, int queryLength, int heads, int kvHeads,
                                            int headDim, int capacity, float scale) {
    attention_body<VV_DTYPE_F16>(q, k, v, positions, out, batch, queryLength, heads, kvHeads, headDim, capacity,
                                 scale);
}
