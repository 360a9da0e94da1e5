/// The multi-speaker 1.5B / 7B configuration (`model_type` "vibevoice", with a diffusion head).
///
/// Mirrors upstream `VibeVoiceConfig` (`vibevoice/modular/configuration_vibevoice.py`).
public struct VibeVoiceConfig: Decodable, Sendable, Equatable {
    /// `decoder_config` (required).
    public var decoder: Qwen2Config
    /// `acoustic_tokenizer_config` (upstream defaults when absent).
    public var acousticTokenizer: SpeechTokenizerConfig
    /// `semantic_tokenizer_config` (upstream defaults when absent).
    public var semanticTokenizer: SpeechTokenizerConfig
    /// `diffusion_head_config` (upstream defaults when absent).
    public var diffusionHead: DiffusionHeadConfig
    /// Top-level `tie_word_embeddings`: `PretrainedConfig` defaults it to true, and the inference class's
    /// `tie_weights` reads this flag (not the decoder's), so an absent key means tied (spec-tts.md §5.1).
    public var tieWordEmbeddings: Bool

    enum CodingKeys: String, CodingKey {
        case decoder = "decoder_config", acousticTokenizer = "acoustic_tokenizer_config"
        case semanticTokenizer = "semantic_tokenizer_config", diffusionHead = "diffusion_head_config"
        case tieWordEmbeddings = "tie_word_embeddings"
    }

    /// Decodes with upstream defaults for absent sub-configs.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.decoder = try c.decode(Qwen2Config.self, forKey: .decoder)
        acousticTokenizer = try c.decodeOrDefault(AcousticTokenizerConfig.self, forKey: .acousticTokenizer).value
        semanticTokenizer = try c.decodeOrDefault(SemanticTokenizerConfig.self, forKey: .semanticTokenizer).value
        diffusionHead = try c.decodeOrDefault(DiffusionHeadConfig.self, forKey: .diffusionHead)
        tieWordEmbeddings = try c.decodeIfPresent(Bool.self, forKey: .tieWordEmbeddings) ?? true
    }
}
