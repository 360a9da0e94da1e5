/// The σ-VAE acoustic or semantic tokenizer configuration (`acoustic_tokenizer_config`, `semantic_tokenizer_config`).
///
/// Defaults follow `VibeVoiceAcousticTokenizerConfig` / `VibeVoiceSemanticTokenizerConfig` in upstream
/// `vibevoice/modular/configuration_vibevoice.py`; the two differ only in `fix_std` (0.5 vs 0) and `std_dist_type`
/// ("gaussian" vs "none"), and only the acoustic one has decoder fields. Decode with `AcousticTokenizerConfig` or
/// `SemanticTokenizerConfig`, which pick the right defaults.
public struct SpeechTokenizerConfig: Sendable, Equatable {
    /// `channels`: audio channels (1).
    public var channels: Int
    /// `vae_dim`: latent size (acoustic 64, semantic 128 in the checkpoints; default 64).
    public var vaeDim: Int
    /// `fix_std`: the fixed σ scale of the σ-VAE.
    public var fixStd: Double
    /// `std_dist_type`: "gaussian" or "none".
    public var stdDistType: String
    /// `causal`: default true.
    public var causal: Bool
    /// `mixer_layer`: default "depthwise_conv".
    public var mixerLayer: String
    /// `conv_norm`: default "none".
    public var convNorm: String
    /// `pad_mode`: default "constant".
    public var padMode: String
    /// `disable_last_norm`: default true.
    public var disableLastNorm: Bool
    /// `layernorm`: default "RMSNorm".
    public var layernorm: String
    /// `layernorm_eps`: default 1e-5.
    public var layernormEps: Float
    /// `layernorm_elementwise_affine`: default true.
    public var layernormElementwiseAffine: Bool
    /// `conv_bias`: default true.
    public var convBias: Bool
    /// `layer_scale_init_value`: default 1e-6.
    public var layerScaleInitValue: Double
    /// `encoder_n_filters`: default 32.
    public var encoderNFilters: Int
    /// `encoder_ratios`: default [8,5,5,4,2,2].
    public var encoderRatios: [Int]
    /// `encoder_depths` parsed from the dash-separated string; default "3-3-3-3-3-3-8".
    public var encoderDepths: [Int]
    /// `decoder_n_filters`: default 32 (acoustic only).
    public var decoderNFilters: Int
    /// `decoder_ratios`: default = `encoder_ratios` (acoustic only).
    public var decoderRatios: [Int]
    /// `decoder_depths` parsed, or nil when null (upstream then derives them from the encoder depths, reversed).
    public var decoderDepths: [Int]?

    enum CodingKeys: String, CodingKey {
        case channels, causal
        case vaeDim = "vae_dim", fixStd = "fix_std", stdDistType = "std_dist_type", mixerLayer = "mixer_layer"
        case convNorm = "conv_norm", padMode = "pad_mode", disableLastNorm = "disable_last_norm"
        case layernorm, layernormEps = "layernorm_eps", layernormElementwiseAffine = "layernorm_elementwise_affine"
        case convBias = "conv_bias", layerScaleInitValue = "layer_scale_init_value"
        case encoderNFilters = "encoder_n_filters", encoderRatios = "encoder_ratios", encoderDepths = "encoder_depths"
        case decoderNFilters = "decoder_n_filters", decoderRatios = "decoder_ratios", decoderDepths = "decoder_depths"
    }

    init(from decoder: any Decoder, semantic: Bool) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        func depths(_ key: CodingKeys) throws -> [Int]? {
            guard let text = try c.decodeIfPresent(String.self, forKey: key) else { return nil }
            let parts = text.split(separator: "-").map { Int($0) }
            guard !parts.isEmpty, parts.allSatisfy({ ($0 ?? 0) > 0 }) else {
                throw DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription: "bad depths '\(text)'")
            }
            return parts.compactMap { $0 }
        }
        channels = try c.decodeIfPresent(Int.self, forKey: .channels) ?? 1
        vaeDim = try c.decodeIfPresent(Int.self, forKey: .vaeDim) ?? 64
        fixStd = try c.decodeIfPresent(Double.self, forKey: .fixStd) ?? (semantic ? 0 : 0.5)
        stdDistType = try c.decodeIfPresent(String.self, forKey: .stdDistType) ?? (semantic ? "none" : "gaussian")
        causal = try c.decodeIfPresent(Bool.self, forKey: .causal) ?? true
        mixerLayer = try c.decodeIfPresent(String.self, forKey: .mixerLayer) ?? "depthwise_conv"
        convNorm = try c.decodeIfPresent(String.self, forKey: .convNorm) ?? "none"
        padMode = try c.decodeIfPresent(String.self, forKey: .padMode) ?? "constant"
        disableLastNorm = try c.decodeIfPresent(Bool.self, forKey: .disableLastNorm) ?? true
        layernorm = try c.decodeIfPresent(String.self, forKey: .layernorm) ?? "RMSNorm"
        layernormEps = try c.decodeIfPresent(Float.self, forKey: .layernormEps) ?? 1e-5
        layernormElementwiseAffine = try c.decodeIfPresent(Bool.self, forKey: .layernormElementwiseAffine) ?? true
        convBias = try c.decodeIfPresent(Bool.self, forKey: .convBias) ?? true
        layerScaleInitValue = try c.decodeIfPresent(Double.self, forKey: .layerScaleInitValue) ?? 1e-6
        encoderNFilters = try c.decodeIfPresent(Int.self, forKey: .encoderNFilters) ?? 32
        encoderRatios = try c.decodeIfPresent([Int].self, forKey: .encoderRatios) ?? [8, 5, 5, 4, 2, 2]
        encoderDepths = try depths(.encoderDepths) ?? [3, 3, 3, 3, 3, 3, 8]
        decoderNFilters = try c.decodeIfPresent(Int.self, forKey: .decoderNFilters) ?? 32
        decoderRatios = try c.decodeIfPresent([Int].self, forKey: .decoderRatios) ?? encoderRatios
        decoderDepths = try depths(.decoderDepths)
    }
}

/// Decodes a `SpeechTokenizerConfig` with the acoustic tokenizer's defaults (`fix_std` 0.5, "gaussian").
public struct AcousticTokenizerConfig: Decodable, Sendable, Equatable {
    /// The decoded config.
    public let value: SpeechTokenizerConfig
    /// Decodes with acoustic defaults.
    public init(from decoder: any Decoder) throws { value = try SpeechTokenizerConfig(from: decoder, semantic: false) }
}

/// Decodes a `SpeechTokenizerConfig` with the semantic tokenizer's defaults (`fix_std` 0, "none").
public struct SemanticTokenizerConfig: Decodable, Sendable, Equatable {
    /// The decoded config.
    public let value: SpeechTokenizerConfig
    /// Decodes with semantic defaults.
    public init(from decoder: any Decoder) throws { value = try SpeechTokenizerConfig(from: decoder, semantic: true) }
}
