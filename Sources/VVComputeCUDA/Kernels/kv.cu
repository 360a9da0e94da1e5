/* writeKV: f32 keys or values into a cache [batch, kvHeads, capacity, headDim] of f32/bf16/f16 (rounded to nearest
 * even), in place. Token t of sequence b goes to position positions[b * tokens + t] (on the device, so a captured
 * graph replays with new positions); positions outside the capacity are skipped. headMajor = 0: values are
 * [batch * tokens, kvHeads * headDim]; 1: [batch, kvHeads, tokens, headDim].
 * Launch: any grid, grid-stride over batch * tokens * kvHeads * headDim. */

template <int DT>
__device__ __forceinline__ void write_kv_body(void *cache, const float *values, const int *positions, int batch,
                                              int tokens, int kvHeads, int headDim, int capacity, int headMajor) {
    VV_GRID_STRIDE(i, (long long)batch * tokens * kvHeads * headDim) {
        int c = (int)(i % headDim);
        long long rest = i / headDim;
        int h = (int)(rest % kvHeads);
        rest /= kvHeads;
        int t = (int)(rest % tokens);
        int b = (int)(rest / tokens);
        int position = positions[(long long)b * tokens + t];
        if (position < 0 || position >= capacity) continue;
        long long from = headMajor ? (((long long)b * kvHeads + h) * tokens + t) * headDim + c
                                   : (((long long)b * tokens + t) * kvHeads + h) * headDim + c;
        long long to = (((long long)b * kvHeads + h) * capacity + position) * headDim + c;
        vv_store<DT>(cache, to, values[from]);
    }
}

extern "C" __global__ void vv_write_kv_f32(void *cache, const float *values, const int *positions, int batch,
                                           int tokens, int kvHeads, int headDim, int capacity, int headMajor) {
    write_kv_body<VV_DTYPE_F32>(cache, values, positions, batch, tokens, kvHeads, headDim, capacity, headMajor);
}

extern "C" __global__ void vv_write_kv_bf16(void *cache, const float *values, const int *positions, int batch,
                                            int tokens, int kvHeads, int headDim, int capacity, int headMajor) {
    write_kv_body<VV_DTYPE_BF16>(cache, values, positions, batch, tokens, kvHeads, headDim, capacity, headMajor);
}

extern "C" __global__ void vv_write_kv_f16(void *cache, const float *values, const int *positions, int batch,
                                           int tokens, int kvHeads, int headDim, int capacity, int headMajor) {
    write_kv_body<VV_DTYPE_F16>(cache, values, positions, batch, tokens, kvHeads, headDim, capacity, headMajor);
}
