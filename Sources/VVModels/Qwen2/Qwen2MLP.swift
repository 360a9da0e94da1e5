import VVCompute
import VVModelFiles

/// Qwen2 feed-forward block: `down(silu(gate(x)) * up(x))`, no biases.
/// Mirrors `Qwen2MLP` in transformers `models/qwen2/modeling_qwen2.py` (v4.51.3).
public struct Qwen2MLP: Sendable {
    /// `gate_proj` `[intermediate, hidden]`.
    public let gateProj: Linear
    /// `up_proj` `[intermediate, hidden]`.
    public let upProj: Linear
    /// `down_proj` `[hidden, intermediate]`.
    public let downProj: Linear

    /// Binds the three projections under `scope` (`...mlp`).
    public init(config c: Qwen2Config, weights w: WeightScope) throws {
        gateProj = try Linear(w.child("gate_proj"), in: c.hiddenSize, out: c.intermediateSize, bias: false)
        upProj = try Linear(w.child("up_proj"), in: c.hiddenSize, out: c.intermediateSize, bias: false)
        downProj = try Linear(w.child("down_proj"), in: c.intermediateSize, out: c.hiddenSize, bias: false)
    }

    /// Applies the block to `x` `[rows, hidden]`; returns `[rows, hidden]`.
    public func forward(_ x: Tensor, _ ctx: ComputeContext) throws -> Tensor {
        let gateUp = try ctx.linears(x, weights: [gateProj.weight, upProj.weight], biases: [nil, nil])
        return try downProj.forward(ctx.siluMul(gateUp[0], gateUp[1]), ctx)
    }
}
