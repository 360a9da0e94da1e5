import VVCompute

/// One adaLN-modulated layer of the diffusion head:
/// `(shift, scale, gate) = chunk3(adaLN_modulation(c))`, `x + gate · ffn(norm(x) · (1 + scale) + shift)`.
///
/// Mirrors `HeadLayer` in microsoft/VibeVoice `vibevoice/modular/modular_vibevoice_diffusion_head.py`
/// (`adaLN_modulation` = `Sequential(SiLU, Linear(H, 3H, bias=False))`, `norm` = RMSNorm with weight).
public struct DiffusionHeadLayer: Sendable {
    /// `ffn`.
    public let ffn: DiffusionFeedForward
    /// `norm` (weight `[H]`, eps `rms_norm_eps`).
    public let norm: RMSNorm
    /// `adaLN_modulation.1`, `[3H, H]`: rows `0..<H` give shift, `H..<2H` scale, `2H..<3H` gate.
    public let adaLNModulation: Linear

    /// Binds `ffn`, `norm` and `adaLN_modulation.1` under `scope` (`...layers.N`).
    public init(_ scope: WeightScope, hiddenSize: Int, ffnSize: Int, eps: Float) throws {
        ffn = try DiffusionFeedForward(scope.child("ffn"), hiddenSize: hiddenSize, ffnSize: ffnSize)
        norm = try RMSNorm(scope.child("norm"), dim: hiddenSize, eps: eps)
        adaLNModulation = try Linear(
            scope.child("adaLN_modulation.1"), in: hiddenSize, out: 3 * hiddenSize, bias: false)
    }

    /// Applies the layer to `x` `[rows, H]` given `activatedCondition` = `silu(c)` `[rows, H]` (the SiLU that
    /// opens `adaLN_modulation` is computed once per forward by `DiffusionHead`); returns `[rows, H]`.
    public func forward(_ x: Tensor, activatedCondition: Tensor, _ ctx: ComputeContext) throws -> Tensor {
        let modulation = try AdaLNChunks.project(activatedCondition, adaLNModulation, chunks: 3, ctx)
        let y = try ctx.modulate(norm.forward(x, ctx), shift: modulation[0], scale: modulation[1])
        return try ctx.add(x, ctx.mul(modulation[2], ffn.forward(y, ctx)))
    }
}
