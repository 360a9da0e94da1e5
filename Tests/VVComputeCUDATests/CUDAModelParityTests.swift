import Foundation
import Testing
import VVCompute
import VVModelFiles
import VVModels

@testable import VVComputeCUDA

/// A CUDA backend to test models on: the stand-in driver when `VV_FAKE_CUDA_DRIVER` is set, else the machine's own
/// GPU; nil (with the reason printed once) when neither loads.
enum CUDAParity {
    static let backend: CUDABackend? = {
        var libraries = CUDALibraryCandidates.fromEnvironment(ProcessInfo.processInfo.environment)
        if let fake = FakeDriver.path { libraries.driver = [fake] }
        if NVRTCFixture.available { libraries.nvrtc = NVRTCFixture.candidates }
        do {
            return try CUDABackend.load(libraries: libraries, cacheDirectory: nil)
        } catch {
            print("SKIPPED (model parity on CUDA): \(error)")
            return nil
        }
    }()

    /// A fixture of the model tests (`Tests/VVModelsTests/Fixtures`).
    static func fixture(_ name: String) -> String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("VVModelsTests/Fixtures/\(name)").path
    }

    /// Max-abs of `actual` against `expected`, scaled by the latter's largest magnitude above 1.
    static func error(_ actual: [Float], _ expected: [Float]) -> Float {
        guard actual.count == expected.count else { return .infinity }
        let scale = max(1, expected.map { abs($0) }.max() ?? 1)
        return (zip(actual, expected).map { abs($0 - $1) }.max() ?? 0) / scale
    }
}

/// The model-level fidelity check of DESIGN.md on the CUDA backend.
///
/// The same Python-reference fixtures the CPU model tests use, through the CUDA kernels. On a GPU machine this is the real check (bounds: fp32 1e-4 as on the CPU);
/// on GPU-less machines it runs against the stand-in driver (`scripts/fake_cuda_driver.sh`).
@Suite(
    "Models on the CUDA backend vs the Python reference",
    .enabled(if: CUDAParity.backend != nil, "no CUDA backend (see the SKIPPED line)"), .serialized)
struct CUDAModelParityTests {
    static let config = Qwen2Config(
        vocabSize: 96, hiddenSize: 64, intermediateSize: 100, numHiddenLayers: 3, numAttentionHeads: 4,
        numKeyValueHeads: 2, rmsNormEps: 1e-6, ropeTheta: 1_000_000)

    @Test(arguments: ["qwen2_causal_lm", "qwen2_causal_lm_bf16"])
    func qwen2PrefillAndDecodeMatchTheReference(_ fixture: String) throws {
        let ctx = ComputeContext(backend: try #require(CUDAParity.backend))
        let weights = try SafetensorsFile(path: CUDAParity.fixture("\(fixture).safetensors"))
        let trace = try SafetensorsFile(path: CUDAParity.fixture("\(fixture)_trace.safetensors"))
        func floats(_ name: String) throws -> [Float] { try #require(trace.tensor(named: name)).floats() }
        func ints(_ name: String) throws -> [Int32] {
            try #require(trace.tensor(named: name)).integers().map { Int32($0) }
        }
        let binder = WeightBinder(source: weights)
        let root = WeightScope(binder: binder, context: ctx)
        let model = try Qwen2Model(config: Self.config, weights: root.child("model"))
        let head = try Qwen2LMHead(config: Self.config, weights: root)
        try binder.finish()
        var cache = try Qwen2KVCache(config: Self.config, layers: 3, batch: 1, capacity: 16, context: ctx)
        let steps = fixture.hasSuffix("bf16") ? ["prefill", "decode0"] : ["prefill", "decode0", "decode1", "decode2"]
        for step in steps {
            let ids = try ints("\(step).input_ids")
            let taps = Taps()
            let hidden = try model.forward(
                .ids(ctx.uploadInt32(ids, shape: [ids.count])), tokens: ids.count, cache: &cache, context: ctx,
                taps: taps)
            for name in ["layers.2", "norm"] {
                let tapped = try #require(taps.tensors[name])
                let error = CUDAParity.error(try ctx.download(tapped), try floats("\(step).\(name)"))
                #expect(error <= 1e-4, "\(fixture) \(step).\(name): \(error)")
            }
            let logits = CUDAParity.error(try ctx.download(head.logits(hidden, ctx)), try floats("\(step).logits"))
            #expect(logits <= 1e-4, "\(fixture) \(step).logits: \(logits)")
            if !fixture.hasSuffix("bf16") {
                #expect(try head.greedy(hidden, ctx) == ints("\(step).argmax"), "\(step) argmax")
                #expect(
                    try head.greedy(hidden, allowed: ints("allowed"), ctx) == ints("\(step).allowed_argmax"),
                    "\(step) allowed argmax")
            }
        }
    }

    @Test func tinyAcousticDecoderMatchesTheReferenceOneShotAndStreamed() throws {
        let ctx = ComputeContext(backend: try #require(CUDAParity.backend))
        let json =
            #"{"vae_dim": 64, "encoder_n_filters": 2, "encoder_depths": "1-1-1-1-1-1-2", "decoder_n_filters": 2}"#
        let config = try JSONDecoder().decode(AcousticTokenizerConfig.self, from: Data(json.utf8)).value
        let weights = TokenizerRandomWeights.make(
            config: config, prefix: "model.acoustic_tokenizer.", encoder: true, decoder: true)
        let binder = WeightBinder(source: weights)
        let tokenizer = try AcousticTokenizer(
            config: config, weights: WeightScope(binder: binder, context: ctx).child("model.acoustic_tokenizer"))
        try binder.finish()
        let trace = try SafetensorsFile(path: CUDAParity.fixture("vae_tiny_trace.safetensors"))
        let latents = try ctx.upload(try #require(trace.tensor(named: "decoder.latents")).floats(), shape: [1, 5, 64])
        let audio = try ctx.download(tokenizer.decode(latents, ctx))
        let expected = try #require(trace.tensor(named: "decoder.audio")).floats()
        #expect(CUDAParity.error(audio, expected) <= 1e-4, "one-shot: \(CUDAParity.error(audio, expected))")
        var cache = TokenizerStreamingCache()
        var streamed: [Float] = []
        for frame in 0..<5 {
            streamed += try ctx.download(
                tokenizer.decode(latents.reshaped([5, 1, 64]).rows(frame..<(frame + 1)), cache: &cache, ctx))
        }
        let reference = try #require(trace.tensor(named: "decoder.streamed")).floats()
        #expect(CUDAParity.error(streamed, reference) <= 1e-4, "streamed: \(CUDAParity.error(streamed, reference))")
    }

    /// The realtime 0.5B loop end to end (tiny random model, upstream `generate()` with injected noise; fixture
    /// `realtime_tiny/`): every latent and the audio, the frame count and the stop reason. Run twice on a
    /// per-request stream: with the per-frame steps recorded as graphs and replayed, and with every op launched
    /// eagerly; both must match the reference and each other exactly (the same kernels on the same inputs).
    @Test(arguments: ["eos", "cap"])
    func realtimeGenerationMatchesUpstream(_ run: String) throws {
        let device = try #require(CUDAParity.backend)
        let ctx = ComputeContext(backend: device)
        let folder = CUDAParity.fixture("realtime_tiny")
        let model = try RealtimeModel.load(directory: folder, context: ctx)
        let preset = try VoicePreset(
            contentsOf: URL(fileURLWithPath: folder + "/voice.pt"),
            shape: VoicePresetShape(
                baseLayers: 2, ttsLayers: 2, kvHeads: 2, headDim: 8, hiddenSize: 32, dtype: .bfloat16))
        let file = try SafetensorsFile(path: folder + "/expected.safetensors")
        func floats(_ name: String) throws -> [Float] { try #require(file.tensor(named: name)).floats() }
        func ints(_ name: String) throws -> [Int32] {
            try #require(file.tensor(named: name)).integers().map { Int32($0) }
        }
        let meta = try ints("\(run).meta")
        let frames = Int(meta[0])
        let noise = try floats("\(run).noise")
        var outputs: [(latents: [Float], audio: [Float])] = []
        for graphs in [true, false] {
            var options = RealtimeOptions(
                cfgScale: 1.5, steps: Int(meta[1]), maxNewTokens: meta[2] >= 0 ? Int(meta[2]) : nil)
            options.capturesGraphs = graphs
            var session = try RealtimeSession(
                model: model, preset: preset, textIDs: try ints("text_ids"), options: options,
                noise: .rows((0..<frames).map { Array(noise[($0 * 64)..<(($0 + 1) * 64)]) }),
                context: ComputeContext(backend: device.makeRequestBackend()))
            var latents: [Float] = [], audio: [Float] = []
            while let frame = try session.nextFrame() {
                latents += frame.latent
                audio += frame.audio
            }
            #expect(session.framesProduced == frames)
            #expect(session.stopReason == (run == "eos" ? .endOfSpeech : .lengthCap))
            if graphs && device.canCaptureGraphs {
                #expect(session.graphReplays > 5 * (frames - 3), "graphs: \(session.graphReplays) replays")
            } else {
                #expect(session.graphReplays == 0)
            }
            let latentError = CUDAParity.error(latents, try floats("\(run).latents"))
            let audioError = CUDAParity.error(audio, try floats("\(run).audio"))
            #expect(latentError <= 1e-4, "\(run) latents (graphs \(graphs)): \(latentError)")
            #expect(audioError <= 1e-4, "\(run) audio (graphs \(graphs)): \(audioError)")
            outputs.append((latents, audio))
        }
        #expect(outputs[0].latents == outputs[1].latents && outputs[0].audio == outputs[1].audio)
    }
}
