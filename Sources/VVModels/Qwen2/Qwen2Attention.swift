import VVCompute
import VVModelFiles

/// Qwen2 self-attention: q/k/v projections with bias, RoPE, causal grouped-query attention over the KV cache, and an
/// output projection without bias.
///
/// Mirrors `Qwen2Attention` in transformers `models/qwen2/modeling_qwen2.py` (v4.51.3). Shapes: `[rows, hidden]`
/// where rows are `batch × tokens`, batch-major.
public struct Qwen2Attention: Sendable {
    /// `q_proj` `[heads·headDim, hidden]` with bias.
    public let qProj: Linear
    /// `k_proj` `[kvHeads·headDim, hidden]` with bias.
    public let kProj: Linear
    /// `v_proj` `[kvHeads·headDim, hidden]` with bias.
    public let vProj: Linear
    /// `o_proj` `[hidden, heads·headDim]`, no bias.
    public let oProj: Linear
    let heads: Int
    let kvHeads: Int
    let headDim: Int
    let theta: Double

    /// Binds `q_proj`, `k_proj`, `v_proj`, `o_proj` under `scope` (`...self_attn`).
    public init(config c: Qwen2Config, weights scope: WeightScope) throws {
        heads = c.numAttentionHeads
        kvHeads = c.numKeyValueHeads
        headDim = c.headDim
        theta = c.ropeTheta
        qProj = try Linear(scope.child("q_proj"), in: c.hiddenSize, out: heads * headDim, bias: true)
        kProj = try Linear(scope.child("k_proj"), in: c.hiddenSize, out: kvHeads * headDim, bias: true)
        vProj = try Linear(scope.child("v_proj"), in: c.hiddenSize, out: kvHeads * headDim, bias: true)
        oProj = try Linear(scope.child("o_proj"), in: heads * headDim, out: c.hiddenSize, bias: false)
    }

    /// Attends `x` `[batch·tokens, hidden]` (already normalised) at `positions` (i32 `[batch·tokens]`, both the
    /// RoPE positions and the cache slots), writing this layer's new keys/values into `keys`/`values`; returns
    /// `[batch·tokens, hidden]`.
    func forward(
        _ x: Tensor, positions: Tensor, keys: Tensor, values: Tensor, batch: Int, tokens: Int, _ ctx: ComputeContext
    ) throws -> Tensor {
        let capacity = keys.shape[2]
        let qkv = try ctx.linears(
            x, weights: [qProj.weight, kProj.weight, vProj.weight], biases: [qProj.bias, kProj.bias, vProj.bias])
        let q = try ctx.rope(qkv[0], positions: positions, params: RopeParams(heads: heads, headDim: headDim, theta: theta))
        let k = try ctx.rope(qkv[1], positions: positions, params: RopeParams(heads: kvHeads, headDim: headDim, theta: theta))
        let v = qkv[2]
        let write = KVWriteParams(batch: batch, tokens: tokens, kvHeads: kvHeads, headDim: headDim, capacity: capacity)
        try ctx.writeKV(cache: keys, values: k, positions: positions, params: write)
        try ctx.writeKV(cache: values, values: v, positions: positions, params: write)
        let attended = try ctx.attention(
            q, keys: keys, values: values, positions: positions,
            params: AttentionParams(
                batch: batch, queryLength: tokens, heads: heads, kvHeads: kvHeads, headDim: headDim,
                capacity: capacity, scale: Float(1.0 / Double(headDim).squareRoot())))
        return try oProj.forward(attended, ctx)
    }
}
