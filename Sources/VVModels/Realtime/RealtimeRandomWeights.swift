import VVModelFiles

/// A random-weight VibeVoice-Realtime checkpoint at any config's shapes, in the real tensor layout (every name
/// `RealtimeModel` binds), and random voice presets of any prompt length: what `vibevoice bench tts` measures when no
/// real checkpoint is at hand. Compute cost does not depend on the values; the values are chosen only so that
/// nothing overflows (uniform ±0.05 matrices, unit norms, the σ-VAE decoder at unit variance).
public enum RealtimeRandomWeights {
    /// Builds every tensor of the published checkpoint's layout for `config`: matrices in `dtype`, norms and biases
    /// f32, the real checkpoint's scaling buffers (0.2333984375 / −0.0703125).
    /// `scale` bounds the uniform LM, diffusion-head, connector and EOS matrices (±0.05 by default).
    public static func make(config: VibeVoiceStreamingConfig, dtype: SafetensorsDType = .bf16, scale: Float = 0.05)
        -> InMemoryTensors
    {
        let d = config.decoder
        let tensors = Qwen2RandomWeights.make(
            config: d, prefix: "model.language_model", layers: config.baseLayerCount, embedding: true,
            finalNorm: false, lmHead: false, dtype: dtype, scale: scale, seed: 11)
        tensors.merge(
            Qwen2RandomWeights.make(
                config: d, prefix: "model.tts_language_model", layers: config.ttsBackboneNumHiddenLayers,
                embedding: false, finalNorm: true, lmHead: false, dtype: dtype, scale: scale, seed: 13))
        tensors.merge(
            DiffusionHeadRandomWeights.make(
                config: config.diffusionHead, prefix: "model.prediction_head", dtype: dtype, scale: scale))
        tensors.merge(
            TokenizerRandomWeights.make(
                config: config.acousticTokenizer, prefix: "model.acoustic_tokenizer.", encoder: false, decoder: true,
                dtype: dtype))
        let h = d.hiddenSize, latent = config.acousticTokenizer.vaeDim
        func random(_ name: String, _ shape: [Int], type: SafetensorsDType) {
            let values = TokenizerRandomWeights.values(name, count: shape.reduce(1, *), scale: scale)
            tensors.add(name, floats: values, shape: shape, dtype: type)
        }
        random("model.tts_input_types.weight", [2, h], type: dtype)
        random("model.acoustic_connector.fc1.weight", [h, latent], type: dtype)
        random("model.acoustic_connector.fc1.bias", [h], type: .f32)
        tensors.add("model.acoustic_connector.norm.weight", floats: Array(repeating: 1, count: h), shape: [h])
        random("model.acoustic_connector.fc2.weight", [h, h], type: dtype)
        random("model.acoustic_connector.fc2.bias", [h], type: .f32)
        random("tts_eos_classifier.fc1.weight", [h, h], type: dtype)
        random("tts_eos_classifier.fc1.bias", [h], type: .f32)
        random("tts_eos_classifier.fc2.weight", [1, h], type: dtype)
        random("tts_eos_classifier.fc2.bias", [1], type: .f32)
        tensors.add("model.speech_scaling_factor", floats: [0.2333984375], shape: [])
        tensors.add("model.speech_bias_factor", floats: [-0.0703125], shape: [])
        return tensors
    }

    /// A voice preset for `config` with `lmLength` base-LM and `ttsLength` TTS-LM prompt positions (the real presets
    /// have 60 and 183), bf16 as the published ones, random values in ±0.5 (hidden states ±1).
    public static func preset(
        config: VibeVoiceStreamingConfig, lmLength: Int = 60, ttsLength: Int = 183
    ) throws -> VoicePreset {
        let d = config.decoder
        func tensor(_ name: String, _ shape: [Int], scale: Float) throws -> TorchTensor {
            let count = shape.reduce(1, *)
            let values = TokenizerRandomWeights.values(name, count: count, scale: scale)
            var bytes = [UInt8](repeating: 0, count: 2 * count)
            bytes.withUnsafeMutableBytes { SafetensorsWriter.encode(values, as: .bf16, into: $0) }
            var strides = [Int](repeating: 1, count: shape.count)
            for i in stride(from: shape.count - 2, through: 0, by: -1) { strides[i] = strides[i + 1] * shape[i + 1] }
            return try TorchTensor(dtype: .bfloat16, shape: shape, strides: strides, bytes: bytes)
        }
        func group(_ name: String, layers: Int, length: Int) throws -> VoicePreset.Group {
            let kv = [1, d.numKeyValueHeads, length, d.headDim]
            return VoicePreset.Group(
                lastHiddenState: try tensor(name + ".hidden", [1, length, d.hiddenSize], scale: 1),
                keys: try (0..<layers).map { try tensor(name + ".k\($0)", kv, scale: 0.5) },
                values: try (0..<layers).map { try tensor(name + ".v\($0)", kv, scale: 0.5) })
        }
        return VoicePreset(
            lm: try group("lm", layers: config.baseLayerCount, length: lmLength),
            ttsLM: try group("tts_lm", layers: config.ttsBackboneNumHiddenLayers, length: ttsLength),
            negLM: try group("neg_lm", layers: config.baseLayerCount, length: lmLength),
            negTTSLM: try group("neg_tts_lm", layers: config.ttsBackboneNumHiddenLayers, length: ttsLength))
    }
}
