import VVCompute

/// The scalar affine map between the diffusion's "model space" latents and the σ-VAE's latents:
/// decoder input `z / speech_scaling_factor − speech_bias_factor`, encoder output back with
/// `(z_vae + speech_bias_factor) · speech_scaling_factor` (spec-tts.md §1.7).
///
/// The factors are 0-d buffers of `VibeVoiceStreamingModel` / `VibeVoiceModel` (microsoft/VibeVoice
/// `vibevoice/modular/modeling_vibevoice_streaming.py`, `register_buffer('speech_scaling_factor', nan)`), read
/// from the checkpoint (`model.speech_scaling_factor`, `model.speech_bias_factor`); upstream leaves them NaN when
/// missing, so a NaN or zero scale is refused here.
public struct SpeechLatentScaling: Sendable, Equatable {
    /// `speech_scaling_factor`.
    public let scalingFactor: Float
    /// `speech_bias_factor`.
    public let biasFactor: Float

    /// Wraps known values.
    public init(scalingFactor: Float, biasFactor: Float) {
        self.scalingFactor = scalingFactor
        self.biasFactor = biasFactor
    }

    /// Reads `speech_scaling_factor` and `speech_bias_factor` (0-d, any float dtype) under `scope` (`model`).
    /// - Throws: `ModelError.invalidInput` when a value is absent (the binder also reports it), NaN, or the scale 0.
    public init(_ scope: WeightScope) throws {
        func scalar(_ name: String) throws -> Float {
            let values = try scope.context.download(scope.tensor(name, shape: []))
            guard values.count == 1, let value = values.first, value.isFinite else {
                throw ModelError.invalidInput(
                    module: "SpeechLatentScaling", reason: "\(scope.qualified(name)) is missing or not finite")
            }
            return value
        }
        scalingFactor = try scalar("speech_scaling_factor")
        biasFactor = try scalar("speech_bias_factor")
        guard scalingFactor != 0 else {
            throw ModelError.invalidInput(module: "SpeechLatentScaling", reason: "speech_scaling_factor is 0")
        }
    }

    /// The σ-VAE decoder input for diffusion latents `z` `[rows, latent]`: `z / scale − bias`.
    public func decoderInput(_ z: Tensor, _ ctx: ComputeContext) throws -> Tensor {
        let bias = try ctx.upload([Float](repeating: -biasFactor, count: z.shape.last), shape: [z.shape.last])
        return try ctx.add(ctx.scale(z, by: 1 / scalingFactor), bias)
    }

    /// Model-space latents for σ-VAE encoder latents `[rows, latent]`: `(z_vae + bias) · scale`.
    public func modelLatents(_ vaeLatents: Tensor, _ ctx: ComputeContext) throws -> Tensor {
        let bias = try ctx.upload(
            [Float](repeating: biasFactor, count: vaeLatents.shape.last), shape: [vaeLatents.shape.last])
        return try ctx.scale(ctx.add(vaeLatents, bias), by: scalingFactor)
    }
}
