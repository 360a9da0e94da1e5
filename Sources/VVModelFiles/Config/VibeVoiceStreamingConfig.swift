import Foundation

/// The realtime 0.5B configuration (`model_type` "vibevoice_streaming").
///
/// Mirrors upstream `VibeVoiceStreamingConfig` (`vibevoice/modular/configuration_vibevoice_streaming.py`): the
/// Qwen2 `decoder_config` counts all layers; the lower `numHiddenLayers - ttsBackboneNumHiddenLayers` form the base
/// text LM (no final norm) and the upper ones the TTS LM (final norm kept).
public struct VibeVoiceStreamingConfig: Decodable, Sendable, Equatable {
    /// `decoder_config` (required).
    public var decoder: Qwen2Config
    /// `acoustic_tokenizer_config` (upstream defaults when absent).
    public var acousticTokenizer: SpeechTokenizerConfig
    /// `diffusion_head_config` (upstream defaults when absent).
    public var diffusionHead: DiffusionHeadConfig
    /// `tts_backbone_num_hidden_layers`: upstream default 20.
    public var ttsBackboneNumHiddenLayers: Int

    /// Layers of the base text LM (`decoder.numHiddenLayers - ttsBackboneNumHiddenLayers`; 4 for the 0.5B).
    public var baseLayerCount: Int { decoder.numHiddenLayers - ttsBackboneNumHiddenLayers }

    enum CodingKeys: String, CodingKey {
        case decoder = "decoder_config", acousticTokenizer = "acoustic_tokenizer_config"
        case diffusionHead = "diffusion_head_config", ttsBackboneNumHiddenLayers = "tts_backbone_num_hidden_layers"
    }

    /// Decodes and checks that the TTS stack fits inside the decoder's layers.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.decoder = try c.decode(Qwen2Config.self, forKey: .decoder)
        acousticTokenizer = try c.decodeOrDefault(AcousticTokenizerConfig.self, forKey: .acousticTokenizer).value
        diffusionHead = try c.decodeOrDefault(DiffusionHeadConfig.self, forKey: .diffusionHead)
        ttsBackboneNumHiddenLayers = try c.decodeIfPresent(Int.self, forKey: .ttsBackboneNumHiddenLayers) ?? 20
        guard ttsBackboneNumHiddenLayers > 0, ttsBackboneNumHiddenLayers < self.decoder.numHiddenLayers else {
            throw DecodingError.dataCorruptedError(
                forKey: .ttsBackboneNumHiddenLayers, in: c,
                debugDescription: "must be between 1 and num_hidden_layers - 1 (\(self.decoder.numHiddenLayers - 1))")
        }
    }
}

/// Helpers for sub-configs that upstream builds with all defaults when absent.
enum ConfigDefaults {
    /// Decodes `T` from an empty JSON object, so every field takes its default.
    static func empty<T: Decodable>(_ type: T.Type) throws -> T {
        try JSONDecoder().decode(T.self, from: Data("{}".utf8))
    }
}

extension KeyedDecodingContainer {
    /// The sub-config at `key`, or the one upstream builds with all defaults when the key is absent.
    func decodeOrDefault<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        try decodeIfPresent(T.self, forKey: key) ?? ConfigDefaults.empty(T.self)
    }
}
