import VVCompute
import VVModelFiles

/// One pre-norm Qwen2 layer: `h += attn(norm_in(h))`, then `h += mlp(norm_post(h))`.
/// Mirrors `Qwen2DecoderLayer` in transformers `models/qwen2/modeling_qwen2.py` (v4.51.3).
public struct Qwen2DecoderLayer: Sendable {
    /// `self_attn`.
    public let selfAttn: Qwen2Attention
    /// `mlp`.
    public let mlp: Qwen2MLP
    /// `input_layernorm`.
    public let inputLayernorm: RMSNorm
    /// `post_attention_layernorm`.
    public let postAttentionLayernorm: RMSNorm

    /// Binds the layer under `scope` (`...layers.{i}`).
    public init(config c: Qwen2Config, weights scope: WeightScope) throws {
        selfAttn = try Qwen2Attention(config: c, weights: scope.child("self_attn"))
        mlp = try Qwen2MLP(config: c, weights: scope.child("mlp"))
        inputLayernorm = try RMSNorm(scope.child("input_layernorm"), dim: c.hiddenSize, eps: c.rmsNormEps)
        postAttentionLayernorm = try RMSNorm(
            scope.child("post_attention_layernorm"), dim: c.hiddenSize, eps: c.rmsNormEps)
    }

    /// Runs the layer on `h` `[batch·tokens, hidden]`; records `<name>.self_attn`, `<name>.mlp` and `<name>` in taps.
    func forward(
        _ h: Tensor, positions: Tensor, keys: Tensor, values: Tensor, batch: Int, tokens: Int,
        name: String, taps: Taps?, _ ctx: ComputeContext
    ) throws -> Tensor {
        let attended = try selfAttn.forward(
            inputLayernorm.forward(h, ctx), positions: positions, keys: keys, values: values, batch: batch,
            tokens: tokens, ctx)
        taps?.record(name + ".self_attn", attended)
        let mid = try ctx.add(h, attended)
        let fed = try mlp.forward(postAttentionLayernorm.forward(mid, ctx), ctx)
        taps?.record(name + ".mlp", fed)
        let out = try ctx.add(mid, fed)
        taps?.record(name, out)
        return out
    }
}
