import VVCompute

/// Per-request generation settings of the realtime model (spec-tts.md §1.8 defaults: cfg 1.5, 5 steps).
public struct RealtimeOptions: Sendable, Equatable {
    /// Classifier-free guidance scale on v (`cfg_scale`).
    public var cfgScale: Float
    /// DPM-Solver++ steps per speech frame.
    public var steps: Int
    /// The solver family (`dpmsolver++` as the file demo, `sde-dpmsolver++` as the web demo).
    public var algorithm: DPMSolverMultistep.Algorithm
    /// `max_new_tokens`: TTS positions allowed beyond the preset; nil means the reference default,
    /// `max_position_embeddings − L_tts`.
    public var maxNewTokens: Int?
    /// Storage type of the KV caches (f32 for fp32 parity; bf16 halves memory).
    public var cacheDType: DType
    /// Positions first allocated for the TTS cache pair; nil estimates from the text (preset + text + 6 frames per
    /// window + 2 windows). The cache doubles when full, up to the length cap, instead of reserving the whole cap
    /// (8192 positions × 20 layers × 2 branches is 671 MB in f32) for every request.
    public var initialCacheCapacity: Int?
    /// Benchmarks only: the EOS classifier still runs every frame but its decision is ignored, so a random-weight
    /// model produces exactly the frames asked for (the reference benchmark forces its length the same way).
    public var ignoresEndOfSpeech = false
    /// Benchmarks only: wait for the device at the end of every timed part, so `RealtimeSession.timings` splits
    /// asynchronous (GPU) work correctly. Costs a synchronisation per part; the CPU backend ignores it.
    public var synchronizesTimings = false
    /// Record each per-frame step (connector, TTS pair, EOS, diffusion, decoder) as a device graph on its second
    /// run and replay it after, on backends that can (CUDA with a driver ≥ 11.4); the results are identical. Off:
    /// every op is launched one by one. The CPU backend ignores it.
    public var capturesGraphs = true

    /// Creates options; the defaults are those of the upstream demos.
    public init(
        cfgScale: Float = 1.5, steps: Int = 5, algorithm: DPMSolverMultistep.Algorithm = .dpmSolverPlusPlus,
        maxNewTokens: Int? = nil, cacheDType: DType = .f32, initialCacheCapacity: Int? = nil
    ) {
        self.initialCacheCapacity = initialCacheCapacity
        self.cfgScale = cfgScale
        self.steps = steps
        self.algorithm = algorithm
        self.maxNewTokens = maxNewTokens
        self.cacheDType = cacheDType
    }
}

/// Where each speech frame's initial diffusion noise comes from.
public enum RealtimeNoise: Sendable {
    /// Drawn from a seeded generator (normal use; not torch's sequence).
    case generator(GaussianNoise)
    /// Given row by row (`[latent]` floats per frame: row 0 of upstream's `randn(2, latent)`), to reproduce a run
    /// of the reference exactly. Only the ODE solver can run on injected noise.
    case rows([[Float]])
}

/// Why a session stopped producing frames.
public enum RealtimeStopReason: Sendable, Equatable {
    /// The EOS classifier fired (its frame is kept).
    case endOfSpeech
    /// The TTS length cap (`max_new_tokens`) was reached.
    case lengthCap
    /// Injected noise ran out.
    case noiseExhausted
}

/// One generated speech frame.
public struct RealtimeFrame: Sendable {
    /// Zero-based frame index.
    public let index: Int
    /// The diffusion latent in model space, `latent` floats.
    public let latent: [Float]
    /// The decoded audio of this frame (24 kHz mono, `samplesPerFrame` floats).
    public let audio: [Float]
}
