import Foundation
import Testing

@testable import VVModelFiles

@Suite("VoicePreset")
struct VoicePresetTests {
    @Test("the tiny upstream-structure preset loads with its sizes and values")
    func loadsTinyPreset() throws {
        let preset = try VoicePreset(contentsOf: TorchFixtures.url("tiny_preset.pt"), shape: TorchFixtures.tinyShape)
        #expect(preset.groups.map(\.name) == VoicePreset.groupNames)
        #expect(preset.groups.map(\.group.length) == [3, 5, 1, 1])
        #expect(preset.groups.map(\.group.layerCount) == [2, 3, 2, 3])
        #expect(preset.ttsLM.keys[2].shape == [1, 2, 5, 4])
        #expect(preset.lm.lastHiddenState.shape == [1, 3, 8])
        let expected = try TorchFixtures.expected("tiny_preset.pt")
        func hex(_ path: String) -> String? { expected.first { $0.path == path }?.hex }
        #expect(TorchFixtures.hex(preset.ttsLM.keys[2].bytes) == hex("tts_lm.past_key_values.key_cache[2]"))
        #expect(TorchFixtures.hex(preset.negTTSLM.values[1].bytes) == hex("neg_tts_lm.past_key_values.value_cache[1]"))
        #expect(TorchFixtures.hex(preset.negLM.lastHiddenState.bytes) == hex("neg_lm.last_hidden_state"))
        for (_, group) in preset.groups {
            for t in [group.lastHiddenState] + group.keys + group.values {
                #expect(t.isContiguous && t.dtype == .bfloat16)
            }
        }
    }

    @Test(
        "a preset for another model's sizes is refused, naming the field",
        arguments: [
            (VoicePresetShape.realtime05B, "lm.last_hidden_state", "expected [1, L, 896]"),
            (
                VoicePresetShape(baseLayers: 2, ttsLayers: 3, kvHeads: 2, headDim: 8, hiddenSize: 8),
                "lm.past_key_values.key_cache[0]", "expected [1, 2, 3, 8]"
            ),
            (
                VoicePresetShape(baseLayers: 2, ttsLayers: 3, kvHeads: 1, headDim: 4, hiddenSize: 8),
                "lm.past_key_values.key_cache[0]", "expected [1, 1, 3, 4]"
            ),
            (
                VoicePresetShape(baseLayers: 4, ttsLayers: 3, kvHeads: 2, headDim: 4, hiddenSize: 8),
                "lm.past_key_values.key_cache", "2 layers, expected 4"
            ),
            (
                VoicePresetShape(baseLayers: 2, ttsLayers: 20, kvHeads: 2, headDim: 4, hiddenSize: 8),
                "tts_lm.past_key_values.key_cache", "3 layers, expected 20"
            ),
            (
                VoicePresetShape(baseLayers: 2, ttsLayers: 3, kvHeads: 2, headDim: 4, hiddenSize: 8, dtype: .float16),
                "lm.last_hidden_state", "dtype bfloat16, expected float16"
            ),
        ])
    func wrongExpectation(shape: VoicePresetShape, field: String, reason: String) throws {
        let url = try TorchFixtures.url("tiny_preset.pt")
        let error = TorchFixtures.error { _ = try VoicePreset(contentsOf: url, shape: shape) }
        #expect(error == .invalidPreset(field: field, reason: reason) || matches(error, field, reason))
    }

    @Test(
        "malformed presets are refused, naming the field",
        arguments: [
            ("preset_wrong_layers.pt", "tts_lm.past_key_values.key_cache", "2 layers, expected 3"),
            ("preset_wrong_seen.pt", "lm.past_key_values._seen_tokens", "is 7, expected 3"),
            ("preset_f32.pt", "lm.last_hidden_state", "dtype float32, expected bfloat16"),
            ("mixed.pt", "lm", "missing"),
        ])
    func malformedPresets(file: String, field: String, reason: String) throws {
        let url = try TorchFixtures.url(file)
        let error = TorchFixtures.error { _ = try VoicePreset(contentsOf: url, shape: TorchFixtures.tinyShape) }
        #expect(matches(error, field, reason), "\(String(describing: error))")
    }

    @Test("any float dtype is accepted when the expectation leaves it open")
    func openDtype() throws {
        var shape = TorchFixtures.tinyShape
        shape.dtype = nil
        let preset = try VoicePreset(contentsOf: TorchFixtures.url("preset_f32.pt"), shape: shape)
        #expect(preset.lm.lastHiddenState.dtype == .float32)
    }

    @Test("a value that is not a dict is refused")
    func notADict() {
        let error = TorchFixtures.error { _ = try VoicePreset(value: .list([]), shape: TorchFixtures.tinyShape) }
        #expect(matches(error, "<root>", "got list"))
    }

    private func matches(_ error: TorchFileError?, _ field: String, _ reason: String) -> Bool {
        guard case .invalidPreset(let f, let r) = error else { return false }
        return f == field && r.contains(reason)
    }
}
