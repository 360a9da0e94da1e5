import Foundation
import Testing
import VVCompute
import VVComputeCPU
import VVModelFiles
import VVModels

/// The realtime 0.5B loop end to end vs upstream `generate()` on a tiny random model (fixture `realtime_tiny/`,
/// made by tools/reference/make_realtime_fixtures.py with injected diffusion noise), fp32: every frame's latent and
/// the audio within max-abs 1e-4 (relative to the largest magnitude when above 1), the same number of frames and the
/// same stop (EOS inside the second window while text remains; the length cap inside the first speech window).
struct RealtimeSessionTests {
    static let folder = fixturePath("realtime_tiny")

    static func expected() throws -> SafetensorsFile {
        try SafetensorsFile(path: folder + "/expected.safetensors")
    }

    static func floats(_ file: SafetensorsFile, _ name: String) throws -> [Float] {
        guard let view = file.tensor(named: name) else { throw FixtureMissing(name: name) }
        return try view.floats()
    }

    static func ints(_ file: SafetensorsFile, _ name: String) throws -> [Int32] {
        guard let view = file.tensor(named: name) else { throw FixtureMissing(name: name) }
        return try view.integers().map { Int32($0) }
    }

    @Test func loadsStrictlyWithNamedSkips() throws {
        let ctx = ComputeContext(backend: CPUBackend(threads: 2))
        let model = try RealtimeModel.load(directory: Self.folder, context: ctx)
        #expect(model.baseLM.layers.count == 2 && model.baseLM.norm == nil && model.baseLM.embedTokens != nil)
        #expect(model.ttsLM.layers.count == 2 && model.ttsLM.norm != nil && model.ttsLM.embedTokens == nil)
        #expect(model.skippedTensors == ["model.tts_language_model.embed_tokens.weight"])
        #expect(model.scaling == SpeechLatentScaling(scalingFactor: 0.2333984375, biasFactor: -0.0703125))
        #expect(model.samplesPerFrame == 3200)
    }

    /// Streamed frames equal one whole decode of the same latents, and a seeded run is reproducible.
    @Test func streamingEqualsWholeDecodeAndSeedsRepeat() throws {
        let ctx = ComputeContext(backend: CPUBackend(threads: 2))
        let model = try RealtimeModel.load(directory: Self.folder, context: ctx)
        let preset = try VoicePreset(
            contentsOf: URL(fileURLWithPath: Self.folder + "/voice.pt"),
            shape: VoicePresetShape(
                baseLayers: 2, ttsLayers: 2, kvHeads: 2, headDim: 8, hiddenSize: 32, dtype: .bfloat16))
        func run(seed: UInt64) throws -> (latents: [Float], audio: [Float], frames: Int) {
            var session = try RealtimeSession(
                model: model, preset: preset, textIDs: [5, 6, 7, 8, 9, 10, 11],
                options: RealtimeOptions(maxNewTokens: 20),
                noise: .generator(GaussianNoise(seed: seed)), context: ctx)
            var latents: [Float] = [], audio: [Float] = []
            while let frame = try session.nextFrame() {
                latents += frame.latent
                audio += frame.audio
            }
            return (latents, audio, session.framesProduced)
        }
        let first = try run(seed: 42)
        #expect(first.frames > 0)
        let second = try run(seed: 42)
        #expect(first.latents == second.latents && first.audio == second.audio)
        let other = try run(seed: 43)
        #expect(other.latents != first.latents)
        let z = try ctx.upload(first.latents, shape: [first.frames, 64])
        let whole = try ctx.download(
            model.acousticTokenizer.decode(model.scaling.decoderInput(z, ctx).reshaped([1, first.frames, 64]), ctx))
        expectMatches(first.audio, whole, "streamed vs whole decode")
    }

    @Test func loadRefusesAMissingTensor() throws {
        let ctx = ComputeContext(backend: CPUBackend(threads: 1))
        let checkpoint = try SafetensorsCheckpoint(path: Self.folder)
        guard case .realtime(let config) = try ModelConfig.load(path: Self.folder + "/config.json") else {
            Issue.record("not a realtime config")
            return
        }
        let partial = try FilteredSource(base: checkpoint, dropping: "tts_eos_classifier.fc2.bias")
        #expect(throws: CheckpointError.self) { try RealtimeModel(config: config, source: partial, context: ctx) }
    }

    /// `initialCapacity` 9 forces the TTS cache pair to grow (7 preset positions + the first text window).
    @Test(arguments: [("eos", nil), ("cap", nil), ("eos", 9), ("cap", 9)] as [(String, Int?)])
    func reproducesUpstreamGenerate(run: String, initialCapacity: Int?) throws {
        let ctx = ComputeContext(backend: CPUBackend(threads: 2))
        let model = try RealtimeModel.load(directory: Self.folder, context: ctx)
        let preset = try VoicePreset(
            contentsOf: URL(fileURLWithPath: Self.folder + "/voice.pt"),
            shape: VoicePresetShape(
                baseLayers: 2, ttsLayers: 2, kvHeads: 2, headDim: 8, hiddenSize: 32, dtype: .bfloat16))
        let file = try Self.expected()
        let meta = try Self.ints(file, "\(run).meta")
        let frames = Int(meta[0])
        let noise = try Self.floats(file, "\(run).noise")
        let rows = (0..<frames).map { Array(noise[($0 * 64)..<(($0 + 1) * 64)]) }
        let options = RealtimeOptions(
            cfgScale: 1.5, steps: Int(meta[1]), maxNewTokens: meta[2] >= 0 ? Int(meta[2]) : nil,
            initialCacheCapacity: initialCapacity)
        var session = try RealtimeSession(
            model: model, preset: preset, textIDs: try Self.ints(file, "text_ids"), options: options,
            noise: .rows(rows), context: ctx)
        var latents: [Float] = [], audio: [Float] = []
        while let frame = try session.nextFrame() {
            #expect(frame.audio.count == 3200)
            latents += frame.latent
            audio += frame.audio
        }
        #expect(session.framesProduced == frames)
        #expect(session.stopReason == (run == "eos" ? .endOfSpeech : .lengthCap))
        let expectedLatents = try Self.floats(file, "\(run).latents")
        for f in 0..<min(frames, session.framesProduced) {
            expectMatches(
                Array(latents[(f * 64)..<((f + 1) * 64)]), Array(expectedLatents[(f * 64)..<((f + 1) * 64)]),
                "\(run) latent \(f)")
        }
        let expectedAudio = try Self.floats(file, "\(run).audio")
        expectMatches(audio, expectedAudio, "\(run) audio")
        let rms = (expectedAudio.map { $0 * $0 }.reduce(0, +) / Float(max(1, expectedAudio.count))).squareRoot()
        #expect(rms > 1e-3, "reference audio is not near-silent (rms \(rms))")
    }
}

/// A tensor source with some names removed (to prove strict binding).
struct FilteredSource: TensorSource {
    let base: any TensorSource
    let dropped: String

    init(base: any TensorSource, dropping name: String) throws {
        self.base = base
        dropped = name
    }

    var tensorNames: [String] { base.tensorNames.filter { $0 != dropped } }

    func tensor(named name: String) -> TensorView? { name == dropped ? nil : base.tensor(named: name) }
}
