import VVCompute

/// Per-stream state of the σ-VAE and semantic tokenizer convolutions: for each causal conv the last input samples
/// it needs from the previous chunk, for each transposed conv its last input frame(s).
///
/// The native form of upstream `VibeVoiceTokenizerStreamingCache` (`vibevoice/modular/modular_vibevoice_tokenizer.py`),
/// keyed by the layer's checkpoint name instead of `id(module)`. A missing entry means "zeros": the first chunk of a
/// stream, or after `reset()`, which stands for both upstream `set_to_zero` and `clear` (for the transposed convs a
/// zero history and no history give the same output). Every entry holds all batch rows (`[batch, channels, n]`), so
/// one cache serves one batch of streams; it is a value owned by the caller, never by the model.
public struct TokenizerStreamingCache: Sendable {
    /// The cached inputs by layer (checkpoint prefix of the conv).
    public internal(set) var states: [String: Tensor] = [:]

    /// An empty cache (every layer starts from zeros).
    public init() {}

    /// Forgets every layer's history (upstream `set_to_zero` / `clear`, e.g. at the 1.5B's `speech_end`).
    public mutating func reset() { states.removeAll() }

    /// The number of layers holding state.
    public var count: Int { states.count }
}
