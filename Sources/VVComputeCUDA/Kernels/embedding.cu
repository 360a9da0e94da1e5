/* embedding: y[count, dim] = table[ids[i], :] widened to f32. Ids outside 0..<vocab give zero rows (the host
 * cannot throw from the device; the CPU backend rejects them). Launch: any grid, grid-stride over count * dim. */

template <int DT>
__device__ __forceinline__ void embedding_body(const void *table, const int *ids, float *y, int count, int dim,
                                               int vocab) {
    VV_GRID_STRIDE(i, (long long)count * dim) {
        long long row = i / dim, c = i % dim;
        int id = ids[row];
        y[i] = (id >= 0 && id < vocab) ? vv_load<DT>(table, (long long)id * dim + c) : 0.0f;
    }
}

extern "C" __global__ void vv_embedding_f32(const void *table, const int *ids, float *y, int count, int dim,
                                            int vocab) {
    embedding_body<VV_DTYPE_F32>(table, ids, y, count, dim, vocab);
}

extern "C" __global__ void vv_embedding_bf16(const void *table, const int *ids, float *y, int count, int dim,
                                             int vocab) {
    embedding_body<VV_DTYPE_BF16>(table, ids, y, count, dim, vocab);
}

extern "C" __global__ void vv_embedding_f16(const void *table, const int *ids, float *y, int count, int dim,
                                            int vocab) {
    embedding_body<VV_DTYPE_F16>(table, ids, y, count, dim, vocab);
}
