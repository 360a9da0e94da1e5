import VVCompute
import VVModelFiles

/// The diffusion prediction head: from a noisy latent `x_t`, a timestep and the LM's condition it predicts v.
///
/// `c = cond_proj(condition) + t_embedder(t)`, `x = noisy_images_proj(x_t)`, then each `HeadLayer`, then the
/// `FinalLayer`; no Linear has a bias. Mirrors `VibeVoiceDiffusionHead.forward` in microsoft/VibeVoice
/// `vibevoice/modular/modular_vibevoice_diffusion_head.py` (spec-tts.md §3). Weights under
/// `model.prediction_head` in every VibeVoice checkpoint.
///
/// The condition projection does not depend on the timestep, so `sampleSpeechTokens`-style loops project it once
/// per frame (`projectCondition`) and call `forward(_:timesteps:projectedCondition:)` at each step; the result is
/// the same as the one-call `forward`.
public struct DiffusionHead: Sendable {
    /// `noisy_images_proj`, `[H, latent]`.
    public let noisyImagesProj: Linear
    /// `cond_proj`, `[H, H]`.
    public let condProj: Linear
    /// `t_embedder`.
    public let tEmbedder: TimestepEmbedder
    /// `layers.0 ...`.
    public let layers: [DiffusionHeadLayer]
    /// `final_layer`.
    public let finalLayer: DiffusionFinalLayer
    /// `hidden_size` (H, also the condition width).
    public let hiddenSize: Int
    /// `latent_size` (64 in every VibeVoice model).
    public let latentSize: Int

    /// Binds every weight under `scope` (`model.prediction_head`).
    public init(config c: DiffusionHeadConfig, weights scope: WeightScope) throws {
        hiddenSize = c.hiddenSize
        latentSize = c.latentSize
        noisyImagesProj = try Linear(scope.child("noisy_images_proj"), in: c.latentSize, out: c.hiddenSize, bias: false)
        condProj = try Linear(scope.child("cond_proj"), in: c.hiddenSize, out: c.hiddenSize, bias: false)
        tEmbedder = try TimestepEmbedder(scope.child("t_embedder"), hiddenSize: c.hiddenSize)
        layers = try (0..<c.headLayers).map {
            try DiffusionHeadLayer(
                scope.child("layers.\($0)"), hiddenSize: c.hiddenSize, ffnSize: c.ffnSize, eps: c.rmsNormEps)
        }
        finalLayer = try DiffusionFinalLayer(
            scope.child("final_layer"), hiddenSize: c.hiddenSize, latentSize: c.latentSize, eps: c.rmsNormEps)
    }

    /// `cond_proj(condition)` for conditions `[rows, H]`.
    public func projectCondition(_ condition: Tensor, _ ctx: ComputeContext) throws -> Tensor {
        try condProj.forward(condition, ctx)
    }

    /// Predicts v for noisy latents `[rows, latent]` at f32 `timesteps` `[rows]` under `condition` `[rows, H]`;
    /// returns `[rows, latent]`. Records `noisy_images_proj`, `t_embedder`, `cond_proj`, `layers.N` and
    /// `final_layer` in `taps` (the reference module names).
    public func forward(
        _ noisy: Tensor, timesteps: Tensor, condition: Tensor, _ ctx: ComputeContext, taps: Taps? = nil
    ) throws -> Tensor {
        let projected = try projectCondition(condition, ctx)
        taps?.record("cond_proj", projected)
        return try forward(noisy, timesteps: timesteps, projectedCondition: projected, ctx, taps: taps)
    }

    /// Predicts v given an already projected condition `[rows, H]`. `timesteps` holds one value per row, or a
    /// single value shared by all rows (its embedding is computed once and broadcast).
    public func forward(
        _ noisy: Tensor, timesteps: Tensor, projectedCondition: Tensor, _ ctx: ComputeContext, taps: Taps? = nil
    ) throws -> Tensor {
        let rows = noisy.shape.rows
        guard noisy.shape.rank == 2, noisy.shape.last == latentSize, projectedCondition.shape == [rows, hiddenSize],
            timesteps.elementCount == rows || timesteps.elementCount == 1
        else {
            throw ModelError.invalidInput(
                module: "DiffusionHead",
                reason: "noisy \(noisy.shape), timesteps \(timesteps.shape), condition \(projectedCondition.shape)")
        }
        var x = try noisyImagesProj.forward(noisy, ctx)
        taps?.record("noisy_images_proj", x)
        let t = try tEmbedder.forward(timesteps, ctx)
        taps?.record("t_embedder", t)
        let activated = try ctx.unary(.silu, ctx.add(projectedCondition, t))
        for (index, layer) in layers.enumerated() {
            x = try layer.forward(x, activatedCondition: activated, ctx)
            taps?.record("layers.\(index)", x)
        }
        let out = try finalLayer.forward(x, activatedCondition: activated, ctx)
        taps?.record("final_layer", out)
        return out
    }
}
