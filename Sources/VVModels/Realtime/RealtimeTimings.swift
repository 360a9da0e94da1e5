/// Where a `RealtimeSession` spent its time, accumulated over its frames (the split `vibevoice bench tts` reports,
/// named as the reference benchmark names its timers). Wall-clock seconds; the CPU backend runs each operation to
/// completion before returning, so the split is exact there.
public struct RealtimeTimings: Sendable, Equatable {
    /// Text windows: 5 tokens through the base stack and the TTS stack (positive branch).
    public var textWindows: Double = 0
    /// The TTS stack's speech step: positive and negative branch as one batch of two.
    public var ttsPair: Double = 0
    /// The diffusion loop (all DPM-Solver++ steps of the CFG head).
    public var diffusion: Double = 0
    /// The streaming σ-VAE decoder (one latent → 3200 samples, including the copy to the host).
    public var decoder: Double = 0
    /// The acoustic connector (latent → TTS embedding).
    public var connector: Double = 0
    /// The EOS classifier.
    public var eos: Double = 0

    /// Creates an empty record.
    public init() {}

    /// The sum of every part.
    public var total: Double { textWindows + ttsPair + diffusion + decoder + connector + eos }
}
