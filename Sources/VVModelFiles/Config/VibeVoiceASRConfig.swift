/// The ASR configuration (`model_type` "vibevoice", architecture `VibeVoiceForASRTraining`, no diffusion head).
///
/// Mirrors upstream `VibeVoiceASRConfig` (`vibevoice/modular/configuration_vibevoice.py`).
public struct VibeVoiceASRConfig: Decodable, Sendable, Equatable {
    /// `decoder_config` (required).
    public var decoder: Qwen2Config
    /// `acoustic_tokenizer_config` (upstream defaults when absent).
    public var acousticTokenizer: SpeechTokenizerConfig
    /// `semantic_tokenizer_config` (upstream defaults when absent).
    public var semanticTokenizer: SpeechTokenizerConfig
    /// Top-level `tie_word_embeddings` as written, nil when absent. The ASR checkpoint ships a separate
    /// `lm_head.weight` (spec-asr.md §1.1); model code binds it when present.
    public var tieWordEmbeddings: Bool?

    enum CodingKeys: String, CodingKey {
        case decoder = "decoder_config", acousticTokenizer = "acoustic_tokenizer_config"
        case semanticTokenizer = "semantic_tokenizer_config", tieWordEmbeddings = "tie_word_embeddings"
    }

    /// Decodes with upstream defaults for absent sub-configs.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.decoder = try c.decode(Qwen2Config.self, forKey: .decoder)
        acousticTokenizer = try c.decodeOrDefault(AcousticTokenizerConfig.self, forKey: .acousticTokenizer).value
        semanticTokenizer = try c.decodeOrDefault(SemanticTokenizerConfig.self, forKey: .semanticTokenizer).value
        tieWordEmbeddings = try c.decodeIfPresent(Bool.self, forKey: .tieWordEmbeddings)
    }
}
