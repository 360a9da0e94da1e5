import VVCompute

/// Embeds scalar diffusion timesteps: the 256-d sinusoid (`[cos, sin]`, cos first, max period 10000, computed in
/// fp32 from the float timestep) then `mlp.2(silu(mlp.0(·)))`, no biases.
///
/// Mirrors `TimestepEmbedder` in microsoft/VibeVoice `vibevoice/modular/modular_vibevoice_diffusion_head.py`
/// (`mlp.0` Linear 256 → H, `mlp.1` SiLU, `mlp.2` Linear H → H).
public struct TimestepEmbedder: Sendable {
    /// `mlp.0`, `[H, 256]`.
    public let mlp0: Linear
    /// `mlp.2`, `[H, H]`.
    public let mlp2: Linear

    /// The sinusoid width (`frequency_embedding_size`).
    public static let frequencyEmbeddingSize = 256

    /// Binds `mlp.0` and `mlp.2` under `scope` (`...t_embedder`).
    public init(_ scope: WeightScope, hiddenSize: Int) throws {
        mlp0 = try Linear(scope.child("mlp.0"), in: Self.frequencyEmbeddingSize, out: hiddenSize, bias: false)
        mlp2 = try Linear(scope.child("mlp.2"), in: hiddenSize, out: hiddenSize, bias: false)
    }

    /// Embeds f32 timesteps `t` `[n]`; returns `[n, H]`.
    public func forward(_ t: Tensor, _ ctx: ComputeContext) throws -> Tensor {
        let frequencies = try ctx.timestepEmbedding(t, dim: Self.frequencyEmbeddingSize)
        return try mlp2.forward(ctx.unary(.silu, mlp0.forward(frequencies, ctx)), ctx)
    }
}
