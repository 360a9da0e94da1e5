import Foundation
import VVCompute
import VVModelFiles

/// VibeVoice-Realtime-0.5B: every module of `VibeVoiceStreamingForConditionalGenerationInference` that inference
/// reads, bound strictly from a checkpoint (spec-tts.md §1.1–§1.2). Immutable and `Sendable` after load; the
/// per-request state lives in `RealtimeSession`.
///
/// Deliberate skips (named, so the binder's strict check still catches anything else): the TTS stack's
/// `embed_tokens.weight` (never read: every position it would embed is overwritten), any
/// `model.acoustic_tokenizer.encoder.*` (absent in the published checkpoint; not used by generation) and any
/// `lm_head.*` (not defined by the inference class). The base stack has no final norm (`nn.Identity` upstream).
public struct RealtimeModel: Sendable {
    /// The parsed config.
    public let config: VibeVoiceStreamingConfig
    /// `model.language_model`: the base stack (4 layers in 0.5B), no final norm.
    public let baseLM: Qwen2Model
    /// `model.tts_language_model`: the TTS stack (20 layers in 0.5B) with its final norm.
    public let ttsLM: Qwen2Model
    /// `model.tts_input_types`: index 1 = text, 0 = speech.
    public let inputTypes: Embedding
    /// `model.acoustic_connector`: scaled latent → TTS embedding.
    public let acousticConnector: SpeechConnector
    /// `model.prediction_head` under classifier-free guidance, with the DPM-Solver++ schedule.
    public let sampler: SpeechLatentSampler
    /// `tts_eos_classifier` (top level, no `model.` prefix).
    public let eosClassifier: EOSClassifier
    /// `model.speech_scaling_factor` / `model.speech_bias_factor`.
    public let scaling: SpeechLatentScaling
    /// `model.acoustic_tokenizer` (decoder only).
    public let acousticTokenizer: AcousticTokenizer
    /// Names the loader skipped on purpose and that were present in the checkpoint.
    public let skippedTensors: [String]

    /// Text tokens per window (`TTS_TEXT_WINDOW_SIZE`).
    public static let textWindow = 5
    /// Speech frames per window (`TTS_SPEECH_WINDOW_SIZE`).
    public static let speechWindow = 6

    /// Hidden size of both stacks.
    public var hiddenSize: Int { config.decoder.hiddenSize }
    /// Audio samples per speech frame (3200 at 24 kHz for the real ratios).
    public var samplesPerFrame: Int { acousticTokenizer.decoder?.hop ?? 0 }

    /// Loads a model folder in the Hugging Face layout (`config.json` + `model.safetensors` or an index).
    /// - Throws: `CheckpointError` for files and binding (missing, unexpected or misshapen tensors),
    ///   `ModelError.unsupportedConfig` when the config is not a realtime one.
    public static func load(directory: String, context: ComputeContext) throws -> RealtimeModel {
        let parsed = try ModelConfig.load(path: directory + "/config.json")
        guard case .realtime(let config) = parsed else {
            throw ModelError.unsupportedConfig(
                module: "RealtimeModel", reason: "\(directory)/config.json is not a vibevoice_streaming config")
        }
        return try RealtimeModel(config: config, source: SafetensorsCheckpoint(path: directory), context: context)
    }

    /// Binds every tensor of `source` strictly (see the type's documentation for the deliberate skips).
    public init(config: VibeVoiceStreamingConfig, source: any TensorSource, context ctx: ComputeContext) throws {
        let binder = WeightBinder(source: source)
        let skipped: [String]
        skipped = source.tensorNames.filter {
            $0.hasPrefix("model.acoustic_tokenizer.encoder.") || $0.hasPrefix("lm_head.")
                || $0 == "model.tts_language_model.embed_tokens.weight"
        }
        binder.ignore(prefix: "lm_head.")
        let root = WeightScope(binder: binder, context: ctx, prefix: "model")
        let d = config.decoder
        self.config = config
        baseLM = try Qwen2Model(
            config: d, weights: root.child("language_model"), layerCount: config.baseLayerCount, finalNorm: false)
        ttsLM = try Qwen2Model(
            config: d, weights: root.child("tts_language_model"), layerCount: config.ttsBackboneNumHiddenLayers,
            finalNorm: true, embedding: .ignored)
        inputTypes = try Embedding(root.child("tts_input_types"), count: 2, dim: d.hiddenSize)
        let latent = config.diffusionHead.latentSize
        acousticConnector = try SpeechConnector(
            root.child("acoustic_connector"), inputSize: config.acousticTokenizer.vaeDim, hiddenSize: d.hiddenSize)
        let head = try DiffusionHead(config: config.diffusionHead, weights: root.child("prediction_head"))
        let schedule = try DPMSolverSchedule(
            trainSteps: config.diffusionHead.ddpmNumSteps, betaSchedule: config.diffusionHead.ddpmBetaSchedule)
        sampler = SpeechLatentSampler(head: head, schedule: schedule)
        eosClassifier = try EOSClassifier(
            WeightScope(binder: binder, context: ctx, prefix: "tts_eos_classifier"), hiddenSize: d.hiddenSize)
        scaling = try SpeechLatentScaling(root)
        acousticTokenizer = try AcousticTokenizer(
            config: config.acousticTokenizer, weights: root.child("acoustic_tokenizer"), encoder: false)
        try binder.finish()
        guard latent == config.acousticTokenizer.vaeDim, acousticTokenizer.decoder != nil else {
            throw ModelError.unsupportedConfig(
                module: "RealtimeModel", reason: "latent size \(latent) ≠ vae_dim \(config.acousticTokenizer.vaeDim)")
        }
        skippedTensors = skipped
    }
}
