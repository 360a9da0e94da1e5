import Foundation

/// The sizes a voice preset must have to fit a model; `realtime05B` is VibeVoice-Realtime-0.5B (spec-tts.md §1.3).
public struct VoicePresetShape: Sendable, Equatable {
    /// Layers of the base (text) LM: `lm` and `neg_lm` hold this many K/V pairs.
    public var baseLayers: Int
    /// Layers of the TTS LM: `tts_lm` and `neg_tts_lm` hold this many K/V pairs.
    public var ttsLayers: Int
    /// Key/value heads per layer.
    public var kvHeads: Int
    /// Size of one head.
    public var headDim: Int
    /// Width of `last_hidden_state`, or `nil` to accept any.
    public var hiddenSize: Int?
    /// Element type of every tensor, or `nil` to accept any floating type.
    public var dtype: TorchDType?

    /// Creates an expectation.
    public init(
        baseLayers: Int, ttsLayers: Int, kvHeads: Int, headDim: Int, hiddenSize: Int?, dtype: TorchDType? = .bfloat16
    ) {
        self.baseLayers = baseLayers
        self.ttsLayers = ttsLayers
        self.kvHeads = kvHeads
        self.headDim = headDim
        self.hiddenSize = hiddenSize
        self.dtype = dtype
    }

    /// VibeVoice-Realtime-0.5B: 4 + 20 layers, 2 KV heads of 64, hidden 896, bfloat16.
    public static let realtime05B = VoicePresetShape(
        baseLayers: 4, ttsLayers: 20, kvHeads: 2, headDim: 64, hiddenSize: 896, dtype: .bfloat16)
}

extension VoicePresetShape {
    /// The preset shape a realtime model of `config` reads (any float dtype).
    public init(config: VibeVoiceStreamingConfig) {
        let d = config.decoder
        self.init(
            baseLayers: config.baseLayerCount, ttsLayers: config.ttsBackboneNumHiddenLayers,
            kvHeads: d.numKeyValueHeads, headDim: d.headDim, hiddenSize: d.hiddenSize, dtype: nil)
    }
}

/// A VibeVoice-Realtime voice preset: the prompt's KV caches and last hidden states for the four LM branches.
///
/// Upstream stores it as a dict of four `BaseModelOutputWithPast`, each holding `last_hidden_state`
/// `[1, L, hidden]` and a `DynamicCache` whose `key_cache`/`value_cache` lists hold one `[1, kv_heads, L, head_dim]`
/// tensor per layer (keys are stored after RoPE). After loading, every tensor is contiguous (row-major) and the
/// shapes are checked against a `VoicePresetShape`. Values are shared read-only; a preset is never mutated.
public struct VoicePreset: Sendable, Equatable {
    /// One LM branch: its prompt's last hidden state and per-layer KV cache.
    public struct Group: Sendable, Equatable {
        /// `[1, length, hidden]`.
        public let lastHiddenState: TorchTensor
        /// Per layer, `[1, kvHeads, length, headDim]`, after RoPE.
        public let keys: [TorchTensor]
        /// Per layer, `[1, kvHeads, length, headDim]`.
        public let values: [TorchTensor]

        /// Creates a group from its tensors (shapes are the caller's responsibility: `[1, L, hidden]` and per layer
        /// `[1, kvHeads, L, headDim]`).
        public init(lastHiddenState: TorchTensor, keys: [TorchTensor], values: [TorchTensor]) {
            self.lastHiddenState = lastHiddenState
            self.keys = keys
            self.values = values
        }

        /// Number of prompt positions (the cache length).
        public var length: Int { lastHiddenState.shape[1] }
        /// Number of layers.
        public var layerCount: Int { keys.count }
    }

    /// The upstream dict keys, in file order.
    public static let groupNames = ["lm", "tts_lm", "neg_lm", "neg_tts_lm"]

    /// Positive base LM branch (`lm`).
    public let lm: Group
    /// Positive TTS LM branch (`tts_lm`).
    public let ttsLM: Group
    /// Negative (CFG) base LM branch (`neg_lm`); upstream never runs it after loading.
    public let negLM: Group
    /// Negative (CFG) TTS LM branch (`neg_tts_lm`).
    public let negTTSLM: Group

    /// Creates a preset from its four groups (benchmarks build random ones at the real shapes this way).
    public init(lm: Group, ttsLM: Group, negLM: Group, negTTSLM: Group) {
        self.lm = lm
        self.ttsLM = ttsLM
        self.negLM = negLM
        self.negTTSLM = negTTSLM
    }

    /// Reads and validates the preset file at `url`.
    public init(contentsOf url: URL, shape: VoicePresetShape = .realtime05B) throws(TorchFileError) {
        try self.init(value: TorchFile.read(contentsOf: url), shape: shape)
    }

    /// Validates an unpickled preset.
    public init(value: TorchValue, shape: VoicePresetShape = .realtime05B) throws(TorchFileError) {
        guard let root = value.dict else {
            throw .invalidPreset(field: "<root>", reason: "expected a dict of four groups, got \(value.kindName)")
        }
        func group(_ name: String, layers: Int) throws(TorchFileError) -> Group {
            guard let entry = root[name] else {
                throw .invalidPreset(field: name, reason: "missing (have \(root.keys.map(\.description)))")
            }
            return try Self.group(entry, path: name, layers: layers, shape: shape)
        }
        lm = try group("lm", layers: shape.baseLayers)
        ttsLM = try group("tts_lm", layers: shape.ttsLayers)
        negLM = try group("neg_lm", layers: shape.baseLayers)
        negTTSLM = try group("neg_tts_lm", layers: shape.ttsLayers)
    }

    /// The groups with their upstream names, in file order.
    public var groups: [(name: String, group: Group)] {
        [("lm", lm), ("tts_lm", ttsLM), ("neg_lm", negLM), ("neg_tts_lm", negTTSLM)]
    }

    private static func group(
        _ value: TorchValue, path: String, layers: Int, shape: VoicePresetShape
    ) throws(TorchFileError) -> Group {
        let fields: TorchDict
        switch value {
        case .object(let object) where object.className == AllowedGlobal.baseModelOutputName: fields = object.fields
        case .dict(let dict): fields = dict
        default:
            throw .invalidPreset(field: path, reason: "expected BaseModelOutputWithPast, got \(value.kindName)")
        }
        let hidden = try tensor(fields["last_hidden_state"], path: "\(path).last_hidden_state", shape: shape)
        guard hidden.shape.count == 3, hidden.shape[0] == 1, shape.hiddenSize.map({ hidden.shape[2] == $0 }) ?? true
        else {
            let expected = "[1, L, \(shape.hiddenSize.map(String.init) ?? "hidden")]"
            throw .invalidPreset(
                field: "\(path).last_hidden_state", reason: "shape \(hidden.shape), expected \(expected)")
        }
        let length = hidden.shape[1]
        let cachePath = "\(path).past_key_values"
        guard let cache = fields["past_key_values"]?.object, cache.className == AllowedGlobal.dynamicCacheName else {
            let kind = fields["past_key_values"]?.kindName ?? "nothing"
            throw .invalidPreset(field: cachePath, reason: "expected a DynamicCache, got \(kind)")
        }
        if let seen = cache.fields["_seen_tokens"], seen != .int(length) {
            let actual = seen.int.map(String.init) ?? seen.kindName
            throw .invalidPreset(field: "\(cachePath)._seen_tokens", reason: "is \(actual), expected \(length)")
        }
        var lists: [[TorchTensor]] = []
        for name in ["key_cache", "value_cache"] {
            let listPath = "\(cachePath).\(name)"
            guard let items = cache.fields[name]?.elements else {
                throw .invalidPreset(field: listPath, reason: "missing or not a list")
            }
            guard items.count == layers else {
                throw .invalidPreset(field: listPath, reason: "\(items.count) layers, expected \(layers)")
            }
            var tensors: [TorchTensor] = []
            for (layer, item) in items.enumerated() {
                let itemPath = "\(listPath)[\(layer)]"
                let t = try tensor(item, path: itemPath, shape: shape)
                let expected = [1, shape.kvHeads, length, shape.headDim]
                guard t.shape == expected else {
                    throw .invalidPreset(field: itemPath, reason: "shape \(t.shape), expected \(expected)")
                }
                tensors.append(t)
            }
            lists.append(tensors)
        }
        return Group(lastHiddenState: hidden, keys: lists[0], values: lists[1])
    }

    private static func tensor(
        _ value: TorchValue?, path: String, shape: VoicePresetShape
    ) throws(TorchFileError) -> TorchTensor {
        guard let tensor = value?.tensor else {
            throw .invalidPreset(field: path, reason: "expected a tensor, got \(value?.kindName ?? "nothing")")
        }
        if let dtype = shape.dtype, tensor.dtype != dtype {
            throw .invalidPreset(field: path, reason: "dtype \(tensor.dtype), expected \(dtype)")
        }
        guard [.bfloat16, .float16, .float32].contains(tensor.dtype) else {
            throw .invalidPreset(field: path, reason: "dtype \(tensor.dtype) is not a floating type")
        }
        return tensor.contiguous()
    }
}
