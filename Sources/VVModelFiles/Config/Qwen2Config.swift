/// The Qwen2 decoder configuration (`decoder_config` in every VibeVoice config.json).
///
/// Keys and defaults follow transformers 4.51.3 `Qwen2Config.__init__`; the shape keys (hidden size, layers, heads,
/// intermediate size, vocabulary) are required here because a silent default there would build a wrong model.
public struct Qwen2Config: Decodable, Sendable, Equatable {
    /// `vocab_size` (required).
    public var vocabSize: Int
    /// `hidden_size` (required).
    public var hiddenSize: Int
    /// `intermediate_size` (required).
    public var intermediateSize: Int
    /// `num_hidden_layers` (required): the total layer count (the realtime 0.5B splits it, see its config).
    public var numHiddenLayers: Int
    /// `num_attention_heads` (required).
    public var numAttentionHeads: Int
    /// `num_key_value_heads`; transformers: defaults to `num_attention_heads`.
    public var numKeyValueHeads: Int
    /// `head_dim`; transformers 4.51.3 `Qwen2Attention`: `getattr(config, "head_dim", hidden // heads)`.
    public var headDim: Int
    /// `rms_norm_eps`; transformers default 1e-6.
    public var rmsNormEps: Float
    /// `rope_theta`; transformers default 10000.0 (every VibeVoice config sets 1e6).
    public var ropeTheta: Double
    /// `max_position_embeddings`; transformers default 32768.
    public var maxPositionEmbeddings: Int
    /// `tie_word_embeddings`; transformers default false.
    public var tieWordEmbeddings: Bool
    /// `hidden_act`; transformers default "silu" (the only one supported).
    public var hiddenAct: String
    /// `use_sliding_window`; transformers default false (true is refused: no checkpoint uses it).
    public var useSlidingWindow: Bool
    /// `attention_dropout`; transformers default 0 (inference ignores it).
    public var attentionDropout: Double

    enum CodingKeys: String, CodingKey {
        case vocabSize = "vocab_size", hiddenSize = "hidden_size", intermediateSize = "intermediate_size"
        case numHiddenLayers = "num_hidden_layers", numAttentionHeads = "num_attention_heads"
        case numKeyValueHeads = "num_key_value_heads", headDim = "head_dim", rmsNormEps = "rms_norm_eps"
        case ropeTheta = "rope_theta", maxPositionEmbeddings = "max_position_embeddings"
        case tieWordEmbeddings = "tie_word_embeddings", hiddenAct = "hidden_act"
        case useSlidingWindow = "use_sliding_window", attentionDropout = "attention_dropout"
        case ropeScaling = "rope_scaling"
    }

    /// Creates a config directly (tests and benchmarks); derived fields follow the same rules as decoding.
    public init(
        vocabSize: Int, hiddenSize: Int, intermediateSize: Int, numHiddenLayers: Int, numAttentionHeads: Int,
        numKeyValueHeads: Int? = nil, headDim: Int? = nil, rmsNormEps: Float = 1e-6, ropeTheta: Double = 1_000_000,
        maxPositionEmbeddings: Int = 32768, tieWordEmbeddings: Bool = false
    ) {
        self.vocabSize = vocabSize
        self.hiddenSize = hiddenSize
        self.intermediateSize = intermediateSize
        self.numHiddenLayers = numHiddenLayers
        self.numAttentionHeads = numAttentionHeads
        self.numKeyValueHeads = numKeyValueHeads ?? numAttentionHeads
        self.headDim = headDim ?? hiddenSize / numAttentionHeads
        self.rmsNormEps = rmsNormEps
        self.ropeTheta = ropeTheta
        self.maxPositionEmbeddings = maxPositionEmbeddings
        self.tieWordEmbeddings = tieWordEmbeddings
        self.hiddenAct = "silu"
        self.useSlidingWindow = false
        self.attentionDropout = 0
    }

    /// Decodes and validates (positive sizes, heads divisible by kv heads, even head_dim, silu, no rope scaling).
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        vocabSize = try c.decode(Int.self, forKey: .vocabSize)
        hiddenSize = try c.decode(Int.self, forKey: .hiddenSize)
        intermediateSize = try c.decode(Int.self, forKey: .intermediateSize)
        numHiddenLayers = try c.decode(Int.self, forKey: .numHiddenLayers)
        numAttentionHeads = try c.decode(Int.self, forKey: .numAttentionHeads)
        numKeyValueHeads = try c.decodeIfPresent(Int.self, forKey: .numKeyValueHeads) ?? numAttentionHeads
        guard numAttentionHeads > 0 else {
            throw DecodingError.dataCorruptedError(
                forKey: .numAttentionHeads, in: c, debugDescription: "num_attention_heads must be positive")
        }
        headDim = try c.decodeIfPresent(Int.self, forKey: .headDim) ?? hiddenSize / numAttentionHeads
        rmsNormEps = try c.decodeIfPresent(Float.self, forKey: .rmsNormEps) ?? 1e-6
        ropeTheta = try c.decodeIfPresent(Double.self, forKey: .ropeTheta) ?? 10000.0
        maxPositionEmbeddings = try c.decodeIfPresent(Int.self, forKey: .maxPositionEmbeddings) ?? 32768
        tieWordEmbeddings = try c.decodeIfPresent(Bool.self, forKey: .tieWordEmbeddings) ?? false
        hiddenAct = try c.decodeIfPresent(String.self, forKey: .hiddenAct) ?? "silu"
        useSlidingWindow = try c.decodeIfPresent(Bool.self, forKey: .useSlidingWindow) ?? false
        attentionDropout = try c.decodeIfPresent(Double.self, forKey: .attentionDropout) ?? 0
        func bad(_ key: CodingKeys, _ message: String) -> DecodingError {
            DecodingError.dataCorruptedError(forKey: key, in: c, debugDescription: message)
        }
        if try !c.isNilOrAbsent(.ropeScaling) {
            throw bad(.ropeScaling, "rope_scaling is not supported (every VibeVoice checkpoint has null)")
        }
        guard vocabSize > 0, hiddenSize > 0, intermediateSize > 0, numHiddenLayers > 0 else {
            throw bad(.hiddenSize, "sizes must be positive")
        }
        guard numKeyValueHeads > 0, numAttentionHeads % numKeyValueHeads == 0 else {
            throw bad(.numKeyValueHeads, "num_attention_heads must be a multiple of num_key_value_heads")
        }
        guard headDim > 0, headDim % 2 == 0 else { throw bad(.headDim, "head_dim must be positive and even") }
        guard hiddenAct == "silu" else { throw bad(.hiddenAct, "hidden_act '\(hiddenAct)' is not supported") }
        guard !useSlidingWindow else { throw bad(.useSlidingWindow, "sliding-window attention is not supported") }
    }
}

extension KeyedDecodingContainer {
    /// True when `key` is absent or JSON null.
    func isNilOrAbsent(_ key: Key) throws -> Bool {
        contains(key) ? try decodeNil(forKey: key) : true
    }
}
