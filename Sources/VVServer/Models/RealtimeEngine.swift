import Foundation
import VVCompute
import VVModelFiles
import VVModels
import VVPipelines
import VVText

/// The engine of `vibevoice-realtime`: loads a VibeVoice-Realtime-0.5B folder (checkpoint, `tokenizer.json`, voice
/// presets) into a `RealtimeSynthesizer` running on `context`, with `models.realtime.cfg_scale` and
/// `inference_steps` as the request defaults.
public struct RealtimeEngine: ModelEngine {
    /// Where the model computes (the CPU backend in production).
    public let context: ComputeContext
    /// Presets kept loaded at once.
    public let presetCapacity: Int
    /// Whether `load` runs one frame with the first voice so that the first request is not slower than the rest
    /// (and that voice's preset is cached).
    public let warmUp: Bool

    /// Creates the engine.
    public init(context: ComputeContext, presetCapacity: Int = 8, warmUp: Bool = true) {
        self.context = context
        self.presetCapacity = presetCapacity
        self.warmUp = warmUp
    }

    /// Loads the model, tokenizer and voice catalog (presets load on first use and stay cached).
    /// - Throws: `ModelLoadError` when the folder has no voices; the model, tokenizer and voice errors otherwise.
    public func load(_ folder: ModelFolder, configuration: ServerConfiguration) async throws -> LoadedPipeline {
        guard let voices = folder.voices else {
            throw ModelLoadError("realtime: no voices folder (set paths.voices to a folder of .pt presets)")
        }
        let context = self.context
        let model = try await Task.detached {
            try RealtimeModel.load(directory: folder.weights.path, context: context)
        }.value
        let tokenizer = try Qwen2Tokenizer(contentsOf: folder.tokenizer.appendingPathComponent("tokenizer.json"))
        let catalog = try VoiceCatalog.scan(voices)
        guard !catalog.streaming.isEmpty else {
            throw ModelLoadError("realtime: no .pt voice presets under \(voices.path)")
        }
        let presets = VoicePresetCache(
            catalog: catalog, capacity: presetCapacity, shape: VoicePresetShape(config: model.config))
        let settings = configuration.models.realtime
        let defaults = RealtimeOptions(cfgScale: Float(settings.cfgScale), steps: settings.inferenceSteps)
        if warmUp, let first = catalog.streaming.first {
            let preset = try await presets.preset(for: first.info.id)
            let ids = tokenizer.encodeInt32(RealtimeSynthesizer.normalize("Hello."))
            try await Task.detached {
                var session = try RealtimeSession(
                    model: model, preset: preset, textIDs: ids, options: defaults,
                    noise: .generator(GaussianNoise(seed: 0)), context: context)
                // Two calls: the second runs the first frame's feedback step (connector, TTS pair, EOS) too.
                _ = try session.nextFrame()
                _ = try session.nextFrame()
            }.value
        }
        return .speech(
            RealtimeSynthesizer(
                model: model, tokenizer: tokenizer, presets: presets, context: context, defaults: defaults))
    }
}
