import VVCompute

/// The diffusion head's SwiGLU block: `down_proj(silu(gate_proj(x)) · up_proj(x))`, no biases.
///
/// Mirrors `FeedForwardNetwork` in microsoft/VibeVoice `vibevoice/modular/modular_vibevoice_diffusion_head.py`.
public struct DiffusionFeedForward: Sendable {
    /// `gate_proj`, `[F, H]`.
    public let gateProj: Linear
    /// `up_proj`, `[F, H]`.
    public let upProj: Linear
    /// `down_proj`, `[H, F]`.
    public let downProj: Linear

    /// Binds the three projections under `scope` (`...layers.N.ffn`).
    public init(_ scope: WeightScope, hiddenSize: Int, ffnSize: Int) throws {
        gateProj = try Linear(scope.child("gate_proj"), in: hiddenSize, out: ffnSize, bias: false)
        upProj = try Linear(scope.child("up_proj"), in: hiddenSize, out: ffnSize, bias: false)
        downProj = try Linear(scope.child("down_proj"), in: ffnSize, out: hiddenSize, bias: false)
    }

    /// Applies the block to `x` `[rows, H]`; returns `[rows, H]`.
    public func forward(_ x: Tensor, _ ctx: ComputeContext) throws -> Tensor {
        let gateUp = try ctx.linears(x, weights: [gateProj.weight, upProj.weight], biases: [nil, nil])
        return try downProj.forward(ctx.siluMul(gateUp[0], gateUp[1]), ctx)
    }
}
