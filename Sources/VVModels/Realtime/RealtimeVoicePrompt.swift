import VVCompute
import VVModelFiles

/// A voice preset converted and copied to the device once: the prompt's key/value caches (f32,
/// `[kvHeads, length, headDim]` per layer) and the last hidden states of both TTS branches.
///
/// Sessions seed their own caches from it (a device-to-device write) and never write into it, so one prompt serves
/// every request that speaks with its voice, concurrently. `neg_lm` is never run upstream and is not kept.
public final class RealtimeVoicePrompt: Sendable {
    /// One cached stack: keys and values per layer, and the number of positions.
    public struct Caches: Sendable {
        /// Keys per layer (post-RoPE), f32 `[kvHeads, length, headDim]`.
        public let keys: [Tensor]
        /// Values per layer, same shape.
        public let values: [Tensor]
        /// Positions cached.
        public let length: Int
    }

    /// `lm`: the base stack's prompt.
    public let lm: Caches
    /// `tts_lm`: the positive TTS branch.
    public let ttsLM: Caches
    /// `neg_tts_lm`: the negative TTS branch.
    public let negTTSLM: Caches
    /// The last hidden state of `tts_lm` `[1, H]`: the first positive diffusion condition.
    public let positiveHidden: Tensor
    /// The last hidden state of `neg_tts_lm` `[1, H]`.
    public let negativeHidden: Tensor

    /// Converts and uploads `preset` for `model`. On a backend with queued (asynchronous) work, synchronise before
    /// sharing the prompt with other request streams.
    /// - Throws: `ModelError.invalidInput` when the preset does not fit the model.
    public init(preset: VoicePreset, model: RealtimeModel, context: ComputeContext) throws {
        let d = model.config.decoder
        guard preset.lm.layerCount == model.baseLM.layers.count,
            preset.ttsLM.layerCount == model.ttsLM.layers.count,
            preset.negTTSLM.layerCount == model.ttsLM.layers.count,
            preset.ttsLM.lastHiddenState.shape.last == d.hiddenSize,
            preset.negTTSLM.lastHiddenState.shape.last == d.hiddenSize
        else {
            throw ModelError.invalidInput(module: "RealtimeVoicePrompt", reason: "the voice preset does not fit this model")
        }
        func upload(_ t: TorchTensor) throws -> Tensor { try context.upload(t.floatValues(), shape: Shape(t.shape)) }
        func caches(_ group: VoicePreset.Group) throws -> Caches {
            Caches(keys: try group.keys.map(upload), values: try group.values.map(upload), length: group.length)
        }
        func lastRow(_ hidden: TorchTensor) throws -> Tensor {
            let h = hidden.shape[2], values = hidden.floatValues()
            return try context.upload(Array(values[(values.count - h)...]), shape: [1, h])
        }
        lm = try caches(preset.lm)
        ttsLM = try caches(preset.ttsLM)
        negTTSLM = try caches(preset.negTTSLM)
        positiveHidden = try lastRow(preset.ttsLM.lastHiddenState)
        negativeHidden = try lastRow(preset.negTTSLM.lastHiddenState)
    }
}
