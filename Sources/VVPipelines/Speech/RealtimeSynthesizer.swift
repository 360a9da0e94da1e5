import Foundation
import VVCompute
import VVModelFiles
import VVModels
import VVText

/// VibeVoice-Realtime-0.5B behind the speech endpoint: text normalisation and tokenisation as the reference demo
/// (spec-tts.md §1.4), the voice preset from a shared bounded cache, then one `RealtimeSession` whose frames leave
/// as soon as each is decoded. Stops between frames when the consumer goes away.
public struct RealtimeSynthesizer: SpeechSynthesizer {
    /// 24 kHz.
    public let sampleRate = 24_000
    /// The loaded model (shared, read-only).
    public let model: RealtimeModel
    /// The text tokenizer (`tokenizer.json` of the model folder).
    public let tokenizer: Qwen2Tokenizer
    /// Presets, loaded once and shared.
    public let presets: VoicePresetCache
    /// The presets on the device, converted once per voice and shared.
    let prompts: RealtimePromptCache
    /// The compute context every request runs on.
    public let context: ComputeContext
    /// Defaults for requests that set no `cfg_scale` / `inference_steps`.
    public let defaults: RealtimeOptions
    /// The voices offered (the catalog's streaming presets).
    public let voices: [VoiceInfo]
    /// Called with each frame's index as it is produced (metrics, tests); runs on the compute thread, outside Swift
    /// concurrency, so it must not block or touch actor state synchronously.
    public var onFrame: (@Sendable (Int) -> Void)?

    /// The range `cfg_scale` is clamped to (the web demo's slider is 1.3–3.0; 1.0 disables guidance).
    public static let cfgRange: ClosedRange<Double> = 1.0...3.0
    /// The range `inference_steps` is clamped to (the web demo allows 5–20).
    public static let stepsRange: ClosedRange<Int> = 1...50

    /// Creates a synthesizer.
    public init(
        model: RealtimeModel, tokenizer: Qwen2Tokenizer, presets: VoicePresetCache, context: ComputeContext,
        defaults: RealtimeOptions = .init()
    ) {
        self.model = model
        self.tokenizer = tokenizer
        self.presets = presets
        prompts = RealtimePromptCache(capacity: presets.capacity)
        self.context = context
        self.defaults = defaults
        voices = presets.catalog.streamingVoices
    }

    /// The file demo's preprocessing: curly quotes to straight ones, surrounding whitespace removed, one trailing
    /// newline (`text.strip() + "\n"` of the processor).
    public static func normalize(_ text: String) -> String {
        let straight = text.replacingOccurrences(of: "\u{2019}", with: "'")
            .replacingOccurrences(of: "\u{201C}", with: "\"").replacingOccurrences(of: "\u{201D}", with: "\"")
        return straight.trimmingCharacters(in: .whitespacesAndNewlines) + "\n"
    }

    /// The options of `request`: its cfg and steps clamped to the safe ranges, else the defaults.
    public func options(for request: SpeechRequest) -> RealtimeOptions {
        var options = defaults
        if let cfg = request.cfgScale, cfg.isFinite {
            options.cfgScale = Float(min(max(cfg, Self.cfgRange.lowerBound), Self.cfgRange.upperBound))
        }
        if let steps = request.inferenceSteps {
            options.steps = min(max(steps, Self.stepsRange.lowerBound), Self.stepsRange.upperBound)
        }
        return options
    }

    /// Text tokens one session may take, for a model of `maxPositions` positions, after a prompt of `promptLength`
    /// TTS positions. Every text token takes a position, and so does every speech frame; the reference feeds 5
    /// tokens per 6 frames (6.25 tokens/s), faster than speech (about 3.5 tokens/s), so the speech of a long text
    /// lags and is finished after the text has run out. Budgeting 3 frames per token (speech as slow as 2.5
    /// tokens/s) keeps the whole piece's speech inside the context: 2,002 tokens (about ten minutes of speech) for
    /// the 0.5B with a 183-position prompt.
    public static func textBudget(maxPositions: Int, promptLength: Int) -> Int {
        max(1, (maxPositions - promptLength) / (1 + framesPerTokenBudget))
    }

    /// Speech frames budgeted per text token (see `textBudget`).
    public static let framesPerTokenBudget = 3

    /// The token ids of each session `text` is spoken in: one session (the reference's exact input,
    /// `text.strip() + "\n"`) when it fits `textBudget`, else sentence-bounded pieces that each fit, every piece
    /// normalised the same way and spoken by a fresh session from the voice prompt (see `synthesize`).
    public static func textChunks(
        _ text: String, tokenizer: Qwen2Tokenizer, maxPositions: Int, promptLength: Int
    ) -> [[Int32]] {
        let budget = textBudget(maxPositions: maxPositions, promptLength: promptLength)
        let normalized = normalize(text)
        guard normalized != "\n" else { return [] }
        let whole = tokenizer.encodeInt32(normalized)
        if whole.count <= budget { return [whole] }  // almost every request: tokenised once
        let pieces = SentenceChunker.chunks(text, budget: budget) {
            tokenizer.encodeInt32(Self.normalize(String($0))).count
        }
        return pieces.compactMap { piece in
            let normalized = Self.normalize(String(piece))
            return normalized == "\n" ? nil : tokenizer.encodeInt32(normalized)
        }
    }

    /// Speaks `request`, one `.audio` event per speech frame (3200 samples), then `.finished`.
    ///
    /// Text longer than one session's room (`textBudget`, about ten minutes of speech on the 0.5B) is never
    /// truncated: it is split at sentence boundaries and each piece is spoken by a new session seeded from the same
    /// voice prompt, its audio following the previous piece's. State is reset rather than carried because the model
    /// was trained on positions below `max_position_embeddings` (8192); continuing past them, or sliding the caches,
    /// is outside what it learned, while a fresh session from the prompt keeps the voice exactly as the preset
    /// defines it. The noise generator continues across pieces, so a seed still reproduces the whole utterance.
    public func synthesize(_ request: SpeechRequest) -> AsyncThrowingStream<SpeechEvent, any Error> {
        let me = self
        return AsyncThrowingStream { continuation in
            let stop = CancellationFlag()
            let task = Task {
                do {
                    let preset = try await me.presets.preset(for: request.voice)
                    let usage = try await ComputeThread.run(name: "vibevoice-realtime") {
                        try me.generate(request, preset: preset, stop: stop) { continuation.yield(.audio($0)) }
                    }
                    continuation.yield(.finished(usage))
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in
                stop.cancel()
                task.cancel()
            }
        }
    }

    /// The blocking generation loop (run on a compute thread): every piece of the text through its own session,
    /// each frame handed to `emit` as soon as it is decoded; checks `stop` before every frame.
    func generate(
        _ request: SpeechRequest, preset: VoicePreset, stop: CancellationFlag, emit: ([Float]) -> Void
    ) throws -> SpeechUsage {
        let chunks = Self.textChunks(
            request.text, tokenizer: tokenizer, maxPositions: model.config.decoder.maxPositionEmbeddings,
            promptLength: preset.ttsLM.length)
        var generator = GaussianNoise(seed: request.seed ?? UInt64.random(in: 0...UInt64.max))
        var frames = 0
        let voiceID = presets.catalog.streamingEntry(id: request.voice)?.info.id ?? request.voice
        let prompt = try prompts.prompt(for: voiceID) {
            let prompt = try RealtimeVoicePrompt(preset: preset, model: model, context: context)
            try context.backend.synchronize()  // complete before other requests' streams read it
            return prompt
        }
        // On CUDA: a stream and memory cache of this request's own, so requests overlap and each can record its
        // per-frame steps as graphs (the CPU backend serves every request itself).
        let requestContext = try ComputeContext(backend: context.backend.makeRequestBackend())
        for ids in chunks {
            var session = try RealtimeSession(
                model: model, prompt: prompt, textIDs: ids, options: options(for: request),
                noise: .generator(generator), context: requestContext)
            while true {
                if stop.isCancelled { throw CancellationError() }
                guard let frame = try session.nextFrame() else { break }
                onFrame?(frames)
                frames += 1
                emit(Self.limited(frame.audio))
            }
            generator = session.generator ?? generator
        }
        return SpeechUsage(inputTokens: chunks.reduce(0) { $0 + $1.count }, outputTokens: frames)
    }

    /// The web demo's guard: a chunk whose peak exceeds 1 is divided by its peak.
    static func limited(_ audio: [Float]) -> [Float] {
        let peak = audio.reduce(Float(0)) { max($0, abs($1)) }
        return peak > 1 ? audio.map { $0 / peak } : audio
    }
}
