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
    /// The compute context every request runs on.
    public let context: ComputeContext
    /// Defaults for requests that set no `cfg_scale` / `inference_steps`.
    public let defaults: RealtimeOptions
    /// The voices offered (the catalog's streaming presets).
    public let voices: [VoiceInfo]

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
        self.context = context
        self.defaults = defaults
        voices = presets.catalog.streamingVoices
    }

    /// The preset shape this model reads (layer counts, KV heads, head size, hidden size; any float dtype).
    public static func presetShape(for model: RealtimeModel) -> VoicePresetShape {
        let d = model.config.decoder
        return VoicePresetShape(
            baseLayers: model.baseLM.layers.count, ttsLayers: model.ttsLM.layers.count, kvHeads: d.numKeyValueHeads,
            headDim: d.headDim, hiddenSize: d.hiddenSize, dtype: nil)
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

    /// Speaks `request`, one `.audio` event per speech frame (3200 samples), then `.finished`.
    public func synthesize(_ request: SpeechRequest) -> AsyncThrowingStream<SpeechEvent, any Error> {
        let me = self
        return AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    let preset = try await me.presets.preset(for: request.voice)
                    let ids = me.tokenizer.encodeInt32(Self.normalize(request.text))
                    let seed = request.seed ?? UInt64.random(in: 0...UInt64.max)
                    var session = try RealtimeSession(
                        model: me.model, preset: preset, textIDs: ids, options: me.options(for: request),
                        noise: .generator(GaussianNoise(seed: seed)), context: me.context)
                    while true {
                        try Task.checkCancellation()
                        guard let frame = try session.nextFrame() else { break }
                        continuation.yield(.audio(Self.limited(frame.audio)))
                    }
                    continuation.yield(
                        .finished(SpeechUsage(inputTokens: ids.count, outputTokens: session.framesProduced)))
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    /// The web demo's guard: a chunk whose peak exceeds 1 is divided by its peak.
    static func limited(_ audio: [Float]) -> [Float] {
        let peak = audio.reduce(Float(0)) { max($0, abs($1)) }
        return peak > 1 ? audio.map { $0 / peak } : audio
    }
}
