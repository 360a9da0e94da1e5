import VVCompute
import VVModelFiles

/// The σ-VAE acoustic tokenizer: encoder (audio → latent mean, optional Gaussian sample) and decoder (latents →
/// 24 kHz audio), either part optional (the realtime 0.5B uses only the decoder).
///
/// Mirrors `VibeVoiceAcousticTokenizerModel` (`encode`, `sampling`, `decode`) and
/// `VibeVoiceTokenizerEncoderOutput.sample` in microsoft/VibeVoice `vibevoice/modular/modular_vibevoice_tokenizer.py`.
/// Latents are `[batch, frames, vae_dim]`; audio `[batch, channels, samples]`.
public struct AcousticTokenizer: Sendable {
    /// `encoder`, when loaded.
    public let encoder: TokenizerEncoder?
    /// `decoder`, when loaded.
    public let decoder: TokenizerDecoder?
    /// `fix_std` (a non-persistent buffer upstream, so it comes from the config).
    public let fixStd: Float
    /// `std_dist_type`: "gaussian", "fix" or "none".
    public let stdDistType: String

    /// Binds the parts asked for under `scope` (`model.acoustic_tokenizer`); the tensors of a part not asked for are
    /// marked deliberately unused.
    public init(config c: SpeechTokenizerConfig, weights scope: WeightScope, encoder: Bool = true, decoder: Bool = true)
        throws
    {
        if encoder {
            self.encoder = try TokenizerEncoder(config: c, weights: scope.child("encoder"))
        } else {
            self.encoder = nil
            scope.binder.ignore(prefix: scope.qualified("encoder."))
        }
        if decoder {
            self.decoder = try TokenizerDecoder(config: c, weights: scope.child("decoder"))
        } else {
            self.decoder = nil
            scope.binder.ignore(prefix: scope.qualified("decoder."))
        }
        fixStd = Float(c.fixStd)
        stdDistType = c.stdDistType
    }

    /// The latent mean of `audio` `[batch, channels, samples]`: `[batch, ⌈samples/3200⌉, vae_dim]`.
    public func encode(_ audio: Tensor, _ ctx: ComputeContext, taps: Taps? = nil) throws -> Tensor {
        try requireEncoder().forward(audio, ctx, taps: taps)
    }

    /// One streaming chunk of `encode` (non-final chunks a multiple of 3200 samples; see `TokenizerEncoder`).
    public func encode(
        _ audio: Tensor, cache: inout TokenizerStreamingCache, isFinalChunk: Bool, _ ctx: ComputeContext
    ) throws -> Tensor {
        var state: TokenizerStreamingCache? = cache
        defer { if let state { cache = state } }
        return try requireEncoder().forward(audio, cache: &state, isFinalChunk: isFinalChunk, ctx)
    }

    /// A σ-VAE sample around `mean` `[batch, frames, vae_dim]` with the given draws (upstream `sample(dist_type)`):
    /// "gaussian": `mean + (scales[b]·fix_std/0.8)·values`; "fix": `mean + fix_std·values`; "none": `mean`.
    /// `distType` defaults to the config's `std_dist_type`.
    public func sample(mean: Tensor, noise: SigmaVAENoise, distType: String? = nil, _ ctx: ComputeContext) throws
        -> Tensor
    {
        let kind = distType ?? stdDistType
        guard mean.shape.rank == 3, noise.values.shape == mean.shape, noise.scales.count == mean.shape[0] else {
            throw ModelError.invalidInput(
                module: "AcousticTokenizer.sample", reason: "mean \(mean.shape), noise \(noise.values.shape)")
        }
        switch kind {
        case "none": return mean
        case "fix": return try ctx.combine([mean, noise.values], coefficients: [1, fixStd])
        case "gaussian":
            let rows = try (0..<mean.shape[0]).map { b in
                let factor = noise.scales[b] * (fixStd / 0.8)
                return try ctx.combine([mean.rows(b..<(b + 1)), noise.values.rows(b..<(b + 1))], coefficients: [1, factor])
            }
            return rows.count == 1 ? rows[0] : try ctx.concat(rows, axis: 0)
        default:
            throw ModelError.unsupportedConfig(module: "AcousticTokenizer", reason: "std_dist_type \(kind)")
        }
    }

    /// Decodes `latents` `[batch, frames, vae_dim]` at once: `[batch, channels, frames·3200]`.
    public func decode(_ latents: Tensor, _ ctx: ComputeContext, taps: Taps? = nil) throws -> Tensor {
        try requireDecoder().forward(latents, ctx, taps: taps)
    }

    /// Decodes the next latent frame(s) of a stream: `[batch, channels, frames·3200]`.
    public func decode(_ latents: Tensor, cache: inout TokenizerStreamingCache, _ ctx: ComputeContext) throws -> Tensor {
        try requireDecoder().decode(latents, cache: &cache, ctx)
    }

    private func requireEncoder() throws -> TokenizerEncoder {
        guard let encoder else { throw ModelError.invalidInput(module: "AcousticTokenizer", reason: "encoder not loaded") }
        return encoder
    }

    private func requireDecoder() throws -> TokenizerDecoder {
        guard let decoder else { throw ModelError.invalidInput(module: "AcousticTokenizer", reason: "decoder not loaded") }
        return decoder
    }
}
