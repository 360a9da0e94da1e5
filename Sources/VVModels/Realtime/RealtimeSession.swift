import VVCompute
import VVModelFiles
import VVPlatform

/// One request's generation state for `RealtimeModel`: the exact loop of spec-tts.md §1.5, one frame per call.
///
/// Mirrors `VibeVoiceStreamingForConditionalGenerationInference.generate` (microsoft/VibeVoice
/// `vibevoice/modular/modeling_vibevoice_streaming_inference.py`): windows of 5 text tokens through the base stack
/// (no final norm) and the TTS stack (text type 1), then 6 speech frames, each: CFG diffusion → σ-VAE streaming
/// decode of `z/scale − bias` → connector of the scaled `z` + speech type 0 → the positive and negative TTS branches
/// as one batch of two (slot 0 positive, slot 1 negative, with their own positions) → EOS on the positive state.
/// The frame that triggers EOS is kept; the reference's remaining frames of that window are discarded there, so
/// the session stops at once. The TTS length counter follows the reference (`L_tts` + text + speech ≤ max length;
/// a speech frame is emitted before its forward is refused by the cap).
///
/// Each frame's fixed steps (connector, TTS pair, EOS, diffusion, decoder) run on state tensors that keep their
/// memory for the whole session, with the positions and noise written into device tensors before each step, so on a
/// backend that records graphs (CUDA) each step is recorded once, on its second run, and replayed after
/// (`RealtimeOptions.capturesGraphs`). The text windows, whose shapes vary, always run eagerly.
///
/// Not thread-safe; callers check cancellation between `nextFrame()` calls.
public struct RealtimeSession {
    /// The model.
    public let model: RealtimeModel
    /// The options.
    public let options: RealtimeOptions
    /// The text token ids (already normalised and tokenised: `text.strip() + "\n"`).
    public let textIDs: [Int32]
    /// The TTS length cap: `L_tts + max_new_tokens`.
    public let maxLength: Int
    /// Why generation stopped, once it has.
    public private(set) var stopReason: RealtimeStopReason?
    /// Frames produced so far.
    public private(set) var framesProduced = 0
    /// Where the time went so far.
    public private(set) var timings = RealtimeTimings()

    private let ctx: ComputeContext
    /// Kept for the session's life: the seeding copies read it asynchronously (on CUDA), so its memory must not go
    /// back to a pool while they may still be queued, even if the server's cache drops the voice meanwhile.
    private let prompt: RealtimeVoicePrompt
    private var sampler: SpeechLatentSampler
    private var noise: RealtimeNoise
    private var lmCache: Qwen2KVCache
    private var ttsCache: Qwen2KVCache
    private var decoderCache = TokenizerStreamingCache()
    private var ttsCount: Int
    private var window = 0
    /// Whether the feedback step of the frame last returned (its latent is in `latentState`) is still to run.
    private var feedbackPending = false
    private var frameInWindow = RealtimeModel.speechWindow
    private let textType: Tensor
    private let speechType: Tensor

    // State tensors, each written in place (their memory never changes, so recorded steps stay valid).
    /// The TTS stack's last positive / negative hidden state `[1, H]`: the diffusion conditions.
    private let positiveState: Tensor
    private let negativeState: Tensor
    /// The latest latent `[1, latent]`.
    private let latentState: Tensor
    /// The connector's embedding of it plus the speech type `[1, H]`.
    private let embeddingState: Tensor
    /// The frame's initial noise `[1, latent]`, and one per solver step for `sde-dpmsolver++`.
    private let noiseState: Tensor
    private let stepNoiseStates: [Tensor]
    /// The TTS pair's next positions, i32 `[2]`.
    private let pairPositions: Tensor
    /// Outputs of the last run of a step (tensors made by the step, rewritten by each replay).
    private var eosOutput: Tensor?
    private var audioOutput: Tensor?
    private var connectorStep: ReplayableStep
    private var pairStep: ReplayableStep
    private var eosStep: ReplayableStep
    private var diffusionStep: ReplayableStep
    private var decoderStep: ReplayableStep

    /// Converts `preset` (see `RealtimeVoicePrompt`) and seeds the caches from it; a server converts each voice
    /// once and uses `init(model:prompt:…)`.
    /// - Throws: `ModelError.invalidInput` when the preset does not fit the model or the options are out of range.
    public init(
        model: RealtimeModel, preset: VoicePreset, textIDs: [Int32], options: RealtimeOptions = .init(),
        noise: RealtimeNoise, context: ComputeContext
    ) throws {
        try self.init(
            model: model, prompt: RealtimeVoicePrompt(preset: preset, model: model, context: context),
            textIDs: textIDs, options: options, noise: noise, context: context)
    }

    /// Seeds the caches from `prompt` (`lm` → base cache; `tts_lm` → TTS slot 0; `neg_tts_lm` → TTS slot 1), which
    /// is only read.
    /// - Throws: `ModelError.invalidInput` when the options are out of range.
    public init(
        model: RealtimeModel, prompt: RealtimeVoicePrompt, textIDs: [Int32], options: RealtimeOptions = .init(),
        noise: RealtimeNoise, context: ComputeContext
    ) throws {
        let d = model.config.decoder
        guard options.steps >= 1, options.steps < model.sampler.schedule.trainSteps, options.cfgScale.isFinite else {
            throw ModelError.invalidInput(
                module: "RealtimeSession", reason: "steps \(options.steps), cfg \(options.cfgScale) out of range")
        }
        self.model = model
        self.options = options
        self.textIDs = textIDs
        self.noise = noise
        self.prompt = prompt
        ctx = context
        sampler = model.sampler
        sampler.steps = options.steps
        sampler.cfgScale = options.cfgScale
        sampler.algorithm = options.algorithm
        let lTTS = prompt.ttsLM.length
        let maxNew = options.maxNewTokens ?? (d.maxPositionEmbeddings - lTTS)
        maxLength = lTTS + max(0, maxNew)
        ttsCount = lTTS
        lmCache = try Qwen2KVCache(
            config: d, layers: model.baseLM.layers.count, batch: 1,
            capacity: prompt.lm.length + max(1, textIDs.count), dtype: options.cacheDType, context: context)
        try lmCache.seed(slot: 0, keys: prompt.lm.keys, values: prompt.lm.values, context: context)
        let windows = (textIDs.count + RealtimeModel.textWindow - 1) / RealtimeModel.textWindow
        let estimate = lTTS + textIDs.count + RealtimeModel.speechWindow * (windows + 2) + 1
        let capacity = max(lTTS + 1, min(options.initialCacheCapacity ?? estimate, maxLength + 1))
        ttsCache = try Qwen2KVCache(
            config: d, layers: model.ttsLM.layers.count, batch: 2, capacity: capacity, dtype: options.cacheDType,
            context: context)
        try ttsCache.seed(slot: 0, keys: prompt.ttsLM.keys, values: prompt.ttsLM.values, context: context)
        try ttsCache.seed(slot: 1, keys: prompt.negTTSLM.keys, values: prompt.negTTSLM.values, context: context)
        positiveState = try context.zeros([1, d.hiddenSize])
        negativeState = try context.zeros([1, d.hiddenSize])
        try context.copy(prompt.positiveHidden, into: positiveState)
        try context.copy(prompt.negativeHidden, into: negativeState)
        let latent = model.sampler.head.latentSize
        latentState = try context.zeros([1, latent])
        embeddingState = try context.zeros([1, d.hiddenSize])
        noiseState = try context.zeros([1, latent])
        stepNoiseStates =
            options.algorithm == .sdeDPMSolverPlusPlus
            ? try (0..<options.steps).map { _ in try context.zeros([1, latent]) } : []
        pairPositions = try context.zeros([2], dtype: .i32)
        let steps = ReplayableStep(enabled: options.capturesGraphs)
        (connectorStep, pairStep, eosStep, diffusionStep, decoderStep) = (steps, steps, steps, steps, steps)
        textType = try model.inputTypes.forward(context.uploadInt32([1], shape: [1]), context)
        speechType = try model.inputTypes.forward(context.uploadInt32([0], shape: [1]), context)
    }

    /// The noise generator in its current state (nil for injected noise): a following session continues the
    /// sequence from here.
    public var generator: GaussianNoise? {
        if case .generator(let g) = noise { return g }
        return nil
    }

    /// Whether generation has stopped.
    public var isFinished: Bool { stopReason != nil }

    /// Produces the next frame, or nil once generation has stopped (see `stopReason`).
    ///
    /// A frame is returned as soon as it is decoded; the reference's step after it (connector feedback, the TTS
    /// pair, EOS) runs at the start of the next call, so audio leaves one TTS-pair step earlier with the same
    /// results. Consequently `stopReason` is set by the call that returns nil.
    public mutating func nextFrame() throws -> RealtimeFrame? {
        guard stopReason == nil else { return nil }
        if feedbackPending {
            feedbackPending = false
            try feedBack()
            if stopReason != nil { return nil }
        }
        if frameInWindow == RealtimeModel.speechWindow {
            try startWindow()
            if stopReason != nil { return nil }
        }
        guard try writeNoise() else {
            stopReason = .noiseExhausted
            return nil
        }
        var clock = Stopwatch()
        try run(\.diffusionStep) { s in
            let z = try s.sampler.sampleSpeechTokens(
                condition: s.positiveState, negativeCondition: s.negativeState, noise: s.noiseState,
                stepNoise: s.stepNoiseStates, s.ctx)
            try s.ctx.copy(z, into: s.latentState)
        }
        let latentValues = try ctx.download(latentState)
        timings.diffusion += clock.seconds
        clock = Stopwatch()
        try run(\.decoderStep) { s in
            let latent = s.latentState.shape.last
            let vae = try s.model.scaling.decoderInput(s.latentState, s.ctx).reshaped([1, 1, latent])
            s.audioOutput = try s.model.acousticTokenizer.decode(vae, cache: &s.decoderCache, s.ctx)
        }
        let audio = try ctx.download(try audioOutput.unwrapped("decoder output"))
        timings.decoder += clock.seconds
        let frame = RealtimeFrame(index: framesProduced, latent: latentValues, audio: audio)
        framesProduced += 1
        frameInWindow += 1
        feedbackPending = true
        return frame
    }

    /// Runs the feedback step of the frame last returned, if it has not run yet, without starting another frame
    /// (a caller that stops after a fixed number of frames and wants the reference's full work for them, as the
    /// benchmark does). May set `stopReason`.
    public mutating func completeFeedback() throws {
        guard stopReason == nil, feedbackPending else { return }
        feedbackPending = false
        try feedBack()
    }

    /// The reference's step after a frame: the scaled latent through the connector (+ speech type) into both TTS
    /// branches as one batch of two, then EOS on the positive state; or the length cap first (the connector's
    /// result is used by nothing else, so it is not computed when the cap stops generation).
    private mutating func feedBack() throws {
        ttsCount += 1
        if ttsCount > maxLength {
            stopReason = .lengthCap
            return
        }
        var clock = Stopwatch()
        try run(\.connectorStep) { s in
            let embedding = try s.model.acousticConnector.forward(s.latentState, s.ctx)
            try s.ctx.copy(s.ctx.add(embedding, s.speechType.reshaped([s.model.hiddenSize])), into: s.embeddingState)
        }
        try syncForTimings()
        timings.connector += clock.seconds
        clock = Stopwatch()
        try ensureTTSCapacity((ttsCache.lengths.max() ?? 0) + 1)
        try ctx.copy(ctx.uploadInt32(ttsCache.positions(slots: 0..<2, tokens: 1), shape: [2]), into: pairPositions)
        let advanced = ttsCache.lengths.map { $0 + 1 }
        try run(\.pairStep) { s in
            let pair = try s.ctx.concat([s.embeddingState, s.embeddingState])
            let h = try s.model.ttsLM.forward(
                .embeddings(pair), tokens: 1, cache: &s.ttsCache, positions: s.pairPositions, context: s.ctx)
            try s.ctx.copy(h.rows(0..<1), into: s.positiveState)
            try s.ctx.copy(h.rows(1..<2), into: s.negativeState)
        }
        ttsCache.lengths = advanced  // the forward pass advances them only when it runs, not when replayed
        try syncForTimings()
        timings.ttsPair += clock.seconds
        clock = Stopwatch()
        try run(\.eosStep) { s in
            s.eosOutput = try s.ctx.unary(.sigmoid, s.model.eosClassifier.forward(s.positiveState, s.ctx))
        }
        let probability = try ctx.download(try eosOutput.unwrapped("EOS output"))[0]
        timings.eos += clock.seconds
        if probability > EOSClassifier.threshold && !options.ignoresEndOfSpeech { stopReason = .endOfSpeech }
    }

    /// Runs one of the fixed steps (see `ReplayableStep`), with the session available to its body.
    private mutating func run(
        _ step: WritableKeyPath<RealtimeSession, ReplayableStep>, _ body: (inout RealtimeSession) throws -> Void
    ) throws {
        var replayable = self[keyPath: step]
        defer { self[keyPath: step] = replayable }
        try replayable.run(ctx) { try body(&self) }
    }

    /// Writes the next frame's noise into `noiseState` (and the SDE step noise), or returns false when injected
    /// noise has run out.
    private mutating func writeNoise() throws -> Bool {
        let shape: Shape = [1, noiseState.shape.last]
        switch noise {
        case .rows(let rows):
            guard framesProduced < rows.count else { return false }
            try ctx.copy(ctx.upload(rows[framesProduced], shape: shape), into: noiseState)
        case .generator(var generator):
            try ctx.copy(generator.tensor(shape, ctx), into: noiseState)
            for state in stepNoiseStates { try ctx.copy(generator.tensor(shape, ctx), into: state) }
            noise = .generator(generator)
        }
        return true
    }

    /// Recorded steps replayed so far (0 on backends that cannot record graphs, or with `capturesGraphs` off).
    public var graphReplays: Int {
        connectorStep.replays + pairStep.replays + eosStep.replays + diffusionStep.replays + decoderStep.replays
    }

    /// The top of the reference's outer loop: the next text window (if any) through both stacks.
    private mutating func startWindow() throws {
        frameInWindow = 0
        let start = window * RealtimeModel.textWindow
        window += 1
        guard start < textIDs.count else { return }
        let ids = Array(textIDs[start..<min(start + RealtimeModel.textWindow, textIDs.count)])
        let n = ids.count
        if ttsCount + n > maxLength {
            stopReason = .lengthCap
            return
        }
        let clock = Stopwatch()
        defer {
            try? syncForTimings()
            timings.textWindows += clock.seconds
        }
        let hLM = try model.baseLM.forward(
            .ids(ctx.uploadInt32(ids, shape: [n])), tokens: n, cache: &lmCache, context: ctx)
        let x = try ctx.add(hLM, textType.reshaped([model.hiddenSize]))
        try ensureTTSCapacity(ttsCache.lengths[0] + n)
        let hTTS = try model.ttsLM.forward(.embeddings(x), tokens: n, cache: &ttsCache, slots: 0..<1, context: ctx)
        try ctx.copy(Qwen2Model.lastTokenRows(hTTS, batch: 1, tokens: n, context: ctx), into: positiveState)
        ttsCount += n
    }

    /// Waits for queued device work when the options ask for exact part timings.
    private func syncForTimings() throws {
        if options.synchronizesTimings { try ctx.backend.synchronize() }
    }

    /// Grows the TTS cache pair (doubling, at least to `needed`) by copying each branch's cached positions into a
    /// larger cache; positions and contents are unchanged. The recorded TTS-pair step used the old cache and is
    /// recorded again.
    private mutating func ensureTTSCapacity(_ needed: Int) throws {
        guard needed > ttsCache.capacity else { return }
        pairStep.invalidate()
        let capacity = max(needed, min(ttsCache.capacity * 2, maxLength + 1))
        var grown = try Qwen2KVCache(
            config: model.config.decoder, layers: ttsCache.layerCount, batch: ttsCache.batch, capacity: capacity,
            dtype: ttsCache.dtype, context: ctx)
        for slot in 0..<ttsCache.batch {
            let length = ttsCache.lengths[slot]
            guard length > 0 else { continue }
            try grown.seed(
                slot: slot, keys: ttsCache.keys.map { try prefix($0, slot: slot, length: length) },
                values: ttsCache.values.map { try prefix($0, slot: slot, length: length) }, context: ctx)
        }
        ttsCache = grown
    }

    /// The first `length` positions of sequence `slot` of a `[batch, kvHeads, capacity, headDim]` cache tensor, as
    /// `[kvHeads, length, headDim]` f32.
    private func prefix(_ tensor: Tensor, slot: Int, length: Int) throws -> Tensor {
        let heads = ttsCache.kvHeads, dim = ttsCache.headDim, capacity = ttsCache.capacity
        let all = try ctx.download(tensor.rows(slot..<(slot + 1)))
        var out: [Float] = []
        out.reserveCapacity(heads * length * dim)
        for h in 0..<heads { out += all[(h * capacity * dim)..<((h * capacity + length) * dim)] }
        return try ctx.upload(out, shape: [heads, length, dim])
    }
}

extension Optional where Wrapped == Tensor {
    /// The tensor a step has made, or an error naming it (a step that has not run).
    fileprivate func unwrapped(_ what: String) throws -> Tensor {
        guard let self else { throw ModelError.invalidInput(module: "RealtimeSession", reason: "no \(what) yet") }
        return self
    }
}
