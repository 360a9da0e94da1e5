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

    /// Forgets every layer's history: upstream `set_to_zero` and `clear` (the 1.5B resets at `speech_end`).
    public mutating func reset() { states.removeAll() }

    /// The number of layers holding state.
    public var count: Int { states.count }

    /// Stores `next` as layer `key`'s state: written into the existing state tensor when it has the same shape, so
    /// the state keeps its memory from chunk to chunk (a recorded graph reads and writes it there).
    mutating func update(_ key: String, with next: Tensor, _ ctx: ComputeContext) throws {
        if let state = states[key], state.shape == next.shape, state.dtype == next.dtype {
            try ctx.copy(next, into: state)
        } else {
            states[key] = next
        }
    }
}
