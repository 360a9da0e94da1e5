import VVCompute

/// The head's output layer: `(shift, scale) = chunk2(adaLN_modulation(c))`,
/// `linear(norm_final(x) · (1 + scale) + shift)`; `norm_final` is an RMSNorm without weight.
///
/// Mirrors `FinalLayer` in microsoft/VibeVoice `vibevoice/modular/modular_vibevoice_diffusion_head.py`.
public struct DiffusionFinalLayer: Sendable {
    /// `linear`, `[latent, H]`.
    public let linear: Linear
    /// `adaLN_modulation.1`, `[2H, H]`: rows `0..<H` give shift, `H..<2H` scale.
    public let adaLNModulation: Linear
    /// The epsilon of `norm_final` (`rms_norm_eps`).
    public let eps: Float

    /// Binds `linear` and `adaLN_modulation.1` under `scope` (`...final_layer`).
    public init(_ scope: WeightScope, hiddenSize: Int, latentSize: Int, eps: Float) throws {
        linear = try Linear(scope.child("linear"), in: hiddenSize, out: latentSize, bias: false)
        adaLNModulation = try Linear(
            scope.child("adaLN_modulation.1"), in: hiddenSize, out: 2 * hiddenSize, bias: false)
        self.eps = eps
    }

    /// Applies the layer to `x` `[rows, H]` given `activatedCondition` = `silu(c)`; returns `[rows, latent]`.
    public func forward(_ x: Tensor, activatedCondition: Tensor, _ ctx: ComputeContext) throws -> Tensor {
        let modulation = try AdaLNChunks.project(activatedCondition, adaLNModulation, chunks: 2, ctx)
        let y = try ctx.modulate(ctx.rmsNorm(x, weight: nil, eps: eps), shift: modulation[0], scale: modulation[1])
        return try linear.forward(y, ctx)
    }
}
