import VVCompute
import VVModelFiles

/// The semantic tokenizer: the σ-VAE encoder architecture with a 128-d head, mean only (`fix_std` 0,
/// `std_dist_type` "none"), no decoder.
///
/// Mirrors `VibeVoiceSemanticTokenizerModel` (`encode`, `sampling` → the mean) in microsoft/VibeVoice
/// `vibevoice/modular/modular_vibevoice_tokenizer.py`. The 1.5B/7B run it on each decoded 3200-sample chunk with a
/// streaming cache (one 128-d frame out per chunk); ASR runs it on the prompt audio in 60 s segments.
public struct SemanticTokenizer: Sendable {
    /// `encoder`.
    public let encoder: TokenizerEncoder

    /// Binds `encoder` under `scope` (`model.semantic_tokenizer`).
    public init(config c: SpeechTokenizerConfig, weights scope: WeightScope) throws {
        encoder = try TokenizerEncoder(config: c, weights: scope.child("encoder"))
    }

    /// The semantic features of `audio` `[batch, channels, samples]`: `[batch, ⌈samples/3200⌉, vae_dim]`.
    public func encode(_ audio: Tensor, _ ctx: ComputeContext, taps: Taps? = nil) throws -> Tensor {
        try encoder.forward(audio, ctx, taps: taps)
    }

    /// One streaming chunk (non-final chunks a multiple of 3200 samples); equals one-shot encoding of the whole.
    public func encode(
        _ audio: Tensor, cache: inout TokenizerStreamingCache, isFinalChunk: Bool, _ ctx: ComputeContext
    ) throws -> Tensor {
        var state: TokenizerStreamingCache? = cache
        defer { if let state { cache = state } }
        return try encoder.forward(audio, cache: &state, isFinalChunk: isFinalChunk, ctx)
    }
}
