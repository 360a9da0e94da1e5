/* argmax: index of the largest value in each row of x [rows, n], lowest index on ties, a NaN winning over numbers
 * (the first NaN), as VVComputeCPU and torch.argmax. With `allowed` (allowedCount > 0) only those ids compete
 * (ids outside 0..<n are skipped). Result i32 [rows]; -1 when nothing competed.
 * Launch: blockDim VV_ARGMAX_THREADS, grid-stride over rows (one block per row). */

#define VV_ARGMAX_THREADS 256

/* Candidate (value, id, order) beats (bv, bid, border)? order is the scan position (the id, or the index in the
 * allowed list) and breaks ties between NaNs as the CPU's sequential scan does. */
__device__ __forceinline__ bool vv_argmax_better(float v, int id, int order, float bv, int bid, int border) {
    if (id < 0) return false;
    if (bid < 0) return true;
    bool nan = v != v, bnan = bv != bv;
    if (nan && bnan) return order < border;
    if (nan != bnan) return nan;
    if (v != bv) return v > bv;
    return id < bid;
}

extern "C" __global__ void vv_argmax_f32(const float *x, const int *allowed, int allowedCount, int *y, int rows,
                                         int n) {
    __shared__ float sValue[VV_ARGMAX_THREADS];
    __shared__ int sId[VV_ARGMAX_THREADS], sOrder[VV_ARGMAX_THREADS];
    for (long long r = blockIdx.x; r < rows; r += gridDim.x) {
        const float *xr = x + r * n;
        float best = 0.0f;
        int bestId = -1, bestOrder = 0;
        int count = allowedCount > 0 ? allowedCount : n;
        for (int o = threadIdx.x; o < count; o += blockDim.x) {
            int id = allowedCount > 0 ? allowed[o] : o;
            if (id < 0 || id >= n) continue;
            float v = xr[id];
            if (vv_argmax_better(v, id, o, best, bestId, bestOrder)) {
                best = v;
                bestId = id;
                bestOrder = o;
            }
        }
        sValue[threadIdx.x] = best;
        sId[threadIdx.x] = bestId;
        sOrder[threadIdx.x] = bestOrder;
        __syncthreads();
        for (int stride = blockDim.x / 2; stride > 0; stride >>= 1) {
            if (threadIdx.x < stride) {
                int other = threadIdx.x + stride;
                if (vv_argmax_better(sValue[other], sId[other], sOrder[other], sValue[threadIdx.x], sId[threadIdx.x],
                                     sOrder[threadIdx.x])) {
                    sValue[threadIdx.x] = sValue[other];
                    sId[threadIdx.x] = sId[other];
                    sOrder[threadIdx.x] = sOrder[other];
                }
            }
            __syncthreads();
        }
        if (threadIdx.x == 0) y[r] = sId[0];
        __syncthreads();
    }
}
