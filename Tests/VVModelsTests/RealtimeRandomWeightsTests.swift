import Foundation
import Testing
import VVCompute
import VVComputeCPU
import VVModelFiles
import VVModels

/// The random checkpoint `vibevoice bench tts` measures: it has exactly the tensors a real checkpoint folder of the
/// same config binds (so the benchmark runs the real modules), and a forced-length session produces exactly the
/// frames asked for with every part of the loop timed.
struct RealtimeRandomWeightsTests {
    static func tinyConfig() throws -> VibeVoiceStreamingConfig {
        guard case .realtime(let config) = try ModelConfig.load(path: fixturePath("realtime_tiny") + "/config.json")
        else { throw FixtureMissing(name: "realtime_tiny/config.json") }
        return config
    }

    @Test func hasTheTensorsOfTheRealLayout() throws {
        let config = try Self.tinyConfig()
        let random = RealtimeRandomWeights.make(config: config, dtype: .bf16)
        let real = try SafetensorsCheckpoint(path: fixturePath("realtime_tiny"))
        // The fixture checkpoint is upstream's state dict; the random one omits only the never-read TTS embedding.
        let expected = real.tensorNames.filter { $0 != "model.tts_language_model.embed_tokens.weight" }
        #expect(random.tensorNames == expected)
        for name in expected {
            #expect(random.tensor(named: name)?.shape == real.tensor(named: name)?.shape, "\(name)")
        }
        let ctx = ComputeContext(backend: CPUBackend(threads: 1))
        let model = try RealtimeModel(config: config, source: random, context: ctx)
        #expect(model.skippedTensors.isEmpty)
    }

    @Test func forcedLengthSessionIgnoresEOSAndTimesEveryPart() throws {
        let config = try Self.tinyConfig()
        let ctx = ComputeContext(backend: CPUBackend(threads: 2))
        let model = try RealtimeModel(
            config: config, source: RealtimeRandomWeights.make(config: config), context: ctx)
        let preset = try RealtimeRandomWeights.preset(config: config, lmLength: 5, ttsLength: 9)
        #expect(preset.lm.length == 5 && preset.ttsLM.length == 9 && preset.negTTSLM.keys.count == 2)
        var options = RealtimeOptions(maxNewTokens: 40)
        options.ignoresEndOfSpeech = true
        var session = try RealtimeSession(
            model: model, preset: preset, textIDs: [1, 2, 3, 4, 5, 6, 7], options: options,
            noise: .generator(GaussianNoise(seed: 5)), context: ctx)
        while session.framesProduced < 14, try session.nextFrame() != nil {}
        #expect(session.framesProduced == 14 && session.stopReason == nil)
        let t = session.timings
        #expect(t.textWindows > 0 && t.ttsPair > 0 && t.diffusion > 0 && t.decoder > 0 && t.eos > 0)
        #expect(t.connector > 0)
        // The last frame's feedback step runs on request, once, without producing another frame.
        try session.completeFeedback()
        let after = session.timings
        #expect(after.ttsPair > t.ttsPair && after.eos > t.eos && session.framesProduced == 14)
        try session.completeFeedback()
        #expect(session.timings == after)
    }
}
