import ArgumentParser
import Foundation
import VVCompute
import VVComputeCPU
import VVComputeCUDA
import VVModelFiles
import VVModels
import VVPlatform

/// `vibevoice bench tts`: the whole realtime loop (text windows, CFG diffusion, streaming decoder, connector, TTS
/// pair, EOS) at the real 0.5B shapes, as a user hears it: time to first audio, ms per speech frame and its split,
/// real-time factor and peak memory, beside the upstream Python implementation measured in the same run.
struct BenchTTS: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tts",
        abstract: "Realtime 0.5B end to end: first audio, ms per frame and its split, beside upstream Python.",
        discussion: """
            Builds VibeVoice-Realtime-0.5B with random weights at the real shapes (or loads --model-dir) and a voice \
            prompt of the real presets' length (60 base-LM / 183 TTS-LM positions, or --voice FILE), then runs \
            --runs utterances of --text-tokens tokens per thread count. The EOS classifier runs every frame but its \
            decision is ignored, so each utterance is exactly --frames frames (the reference benchmark forces its \
            length the same way). Run 1 is "cold" (first after load), the others "warm" (median). The reference is \
            ../shared/bench/python-ref/bench_vibevoice_ref.py (upstream generate() on torch, fp32, random weights), \
            run with --python and the upstream source in --upstream.
            """)

    /// The models this benchmark knows.
    enum ModelName: String, ExpressibleByArgument, CaseIterable, Codable { case realtime = "realtime-0.5b" }

    @Option(help: "Model: realtime-0.5b.")
    var model: ModelName = .realtime
    @Option(help: "A real checkpoint folder (config.json + model.safetensors) instead of random weights.")
    var modelDir: String?
    @Option(help: "Voice preset .pt (default: random, 60/183 positions like the real presets).")
    var voice: String?
    @Option(help: "Random weight storage type (the published checkpoint is bf16).")
    var weights: BenchWeightType = .bf16
    @Option(help: "KV cache storage type: f32 (reference parity) or bf16.")
    var kvCache: BenchWeightType = .f32
    @Option(help: "Compute backend: cpu, or cuda (experimental: see docs/cuda.md).")
    var backend: BenchBackend = .cpu
    @Option(help: "CUDA device index (with --backend cuda).")
    var gpuID = 0
    @Option(help: "With --backend cuda: per-frame steps recorded as CUDA graphs (on), launched op by op (off), or both rows.")
    var graphs: GraphsChoice = .both
    @Option(help: "Thread counts to measure, comma-separated (CPU backend).")
    var threads: String = "1,2"
    @Option(help: "Speech frames per utterance (133 ms of audio each).")
    var frames: Int = 48
    @Option(help: "Utterances per thread count (the first is reported as cold).")
    var runs: Int = 3
    @Option(help: "Text tokens per utterance (the reference's benchmark text is 23 tokens: 5 windows).")
    var textTokens: Int = 23
    @Option(help: "DPM-Solver++ steps per frame.")
    var steps: Int = 5
    @Option(help: "Classifier-free guidance scale.")
    var cfgScale: Float = 1.5
    @Option(help: "Python with torch 2.13 and transformers 4.51.3 for the reference, or 'none'.")
    var python: String = ProcessInfo.processInfo.environment["VV_REF_PYTHON"] ?? "python3"
    @Option(help: "The reference benchmark script.")
    var referenceScript: String = "../shared/bench/python-ref/bench_vibevoice_ref.py"
    @Option(help: "Folder with the upstream microsoft/VibeVoice source (its vibevoice/ package).")
    var upstream: String = "/tmp/vv"
    @Option(help: "Reference utterances per thread count.")
    var referenceRuns: Int = 2
    @Flag(help: "Print one JSON object instead of the table.")
    var json = false

    var threadList: [Int] { parseThreadList(threads) }

    func validate() throws {
        try validateThreadList(threadList)
        guard frames > 0, runs > 0, textTokens > 0, steps > 0, referenceRuns > 0 else {
            throw ValidationError("--frames, --runs, --text-tokens, --steps and --reference-runs must be positive")
        }
    }

    mutating func run() async throws {
        let loadStart = Stopwatch()
        let config: VibeVoiceStreamingConfig
        let source: any TensorSource
        if let modelDir {
            guard case .realtime(let parsed) = try ModelConfig.load(path: modelDir + "/config.json") else {
                throw ValidationError("\(modelDir)/config.json is not a VibeVoice-Realtime config")
            }
            config = parsed
            source = try SafetensorsCheckpoint(path: modelDir)
        } else {
            config = try Self.realtime05BConfig()
            source = RealtimeRandomWeights.make(config: config, dtype: weights.dtype)
        }
        let preset =
            try voice.map {
                try VoicePreset(
                    contentsOf: URL(fileURLWithPath: $0), shape: VoicePresetShape(config: config))
            } ?? RealtimeRandomWeights.preset(config: config)
        let prepared = loadStart.seconds
        var rows: [TTSBenchRow] = []
        switch backend {
        case .cpu:
            for count in threadList {
                let ctx = ComputeContext(backend: CPUBackend(threads: count))
                let model = try RealtimeModel(config: config, source: source, context: ctx)
                let prompt = try RealtimeVoicePrompt(preset: preset, model: model, context: ctx)
                rows.append(
                    try measureSwift(model: model, prompt: prompt, threads: count, capturesGraphs: false) { ctx })
            }
        case .cuda:
            let cuda = try CUDABackend.load(gpuID: gpuID)
            try cuda.prepareKernels()
            let model = try RealtimeModel(config: config, source: source, context: ComputeContext(backend: cuda))
            let prompt = try RealtimeVoicePrompt(preset: preset, model: model, context: ComputeContext(backend: cuda))
            for captures in graphs.settings {
                // Each utterance on a request stream of its own, as the server runs it.
                var row = try measureSwift(
                    model: model, prompt: prompt, threads: 0, capturesGraphs: captures,
                    context: { ComputeContext(backend: try cuda.makeRequestBackend()) })
                row.impl = captures ? "cuda" : "cuda-eager"
                row.note = "\(cuda.device)" + (captures && !cuda.canCaptureGraphs ? "; driver has no graphs" : "")
                rows.append(row)
            }
        }
        let swiftPeak = ProcessMemory.peakResidentBytes()
        if python != "none" {
            for count in threadList { rows.append(measureReference(threads: count)) }
        }
        let report = TTSBenchReport(
            model: model.rawValue, weights: modelDir == nil ? "random \(weights.rawValue)" : modelDir ?? "",
            kvCache: kvCache.rawValue, frames: frames, textTokens: textTokens, steps: steps, cfgScale: cfgScale,
            promptPositions: [preset.lm.length, preset.ttsLM.length], isa: CPUBackend.ISA.detected.description,
            prepareSeconds: prepared, swiftPeakRSSBytes: swiftPeak, results: rows)
        try printBenchReport(report, json: json) { report.table() }
    }

    /// The published VibeVoice-Realtime-0.5B config's shapes (spec-tts.md §1.1): Qwen2.5-0.5B geometry with 4 base
    /// and 20 TTS layers, a 4-layer diffusion head of width 896, the σ-VAE decoder with 32 filters.
    static func realtime05BConfig() throws -> VibeVoiceStreamingConfig {
        let json = """
            {"model_type": "vibevoice_streaming", "tts_backbone_num_hidden_layers": 20, "acoustic_vae_dim": 64,
             "decoder_config": {"model_type": "qwen2", "hidden_size": 896, "intermediate_size": 4864,
               "num_hidden_layers": 24, "num_attention_heads": 14, "num_key_value_heads": 2, "vocab_size": 151936,
               "max_position_embeddings": 8192, "rope_theta": 1000000.0, "rms_norm_eps": 1e-6},
             "diffusion_head_config": {"hidden_size": 896, "head_layers": 4, "head_ffn_ratio": 3.0,
               "latent_size": 64, "speech_vae_dim": 64, "ddpm_num_steps": 1000, "ddpm_beta_schedule": "cosine",
               "prediction_type": "v_prediction", "rms_norm_eps": 1e-5},
             "acoustic_tokenizer_config": {"vae_dim": 64, "decoder_n_filters": 32,
               "decoder_ratios": [8, 5, 5, 4, 2, 2], "encoder_depths": "3-3-3-3-3-3-8"}}
            """
        guard case .realtime(let config) = try ModelConfig.parse(Data(json.utf8)) else {
            throw ValidationError("internal: the built-in realtime config did not parse as one")
        }
        return config
    }

    /// `context` makes each utterance's compute context. The voice prompt is converted once, outside the timing,
    /// as the server converts each voice once.
    private func measureSwift(
        model: RealtimeModel, prompt: RealtimeVoicePrompt, threads: Int, capturesGraphs: Bool,
        context: () throws -> ComputeContext
    ) throws -> TTSBenchRow {
        let config = model.config
        var options = RealtimeOptions(cfgScale: cfgScale, steps: steps, cacheDType: kvCache == .f32 ? .f32 : .bf16)
        options.ignoresEndOfSpeech = true
        options.synchronizesTimings = true
        options.capturesGraphs = capturesGraphs
        var generator = SystemRandomNumberGenerator()
        let vocab = Int32(config.decoder.vocabSize)
        var measured: [TTSBenchRun] = []
        for _ in 0..<runs {
            let ids = (0..<textTokens).map { _ in Int32.random(in: 0..<min(vocab, 150_000), using: &generator) }
            let clock = Stopwatch()
            var session = try RealtimeSession(
                model: model, prompt: prompt, textIDs: ids, options: options,
                noise: .generator(GaussianNoise(seed: UInt64.random(in: 0...UInt64.max, using: &generator))),
                context: context())
            let setUp = clock.seconds
            var firstAudio: Double?
            var firstSplit: TTSFirstAudioSplit?
            while session.framesProduced < frames, try session.nextFrame() != nil {
                guard firstAudio == nil else { continue }
                let elapsed = clock.seconds, t = session.timings
                firstAudio = elapsed
                firstSplit = TTSFirstAudioSplit(
                    setUp: setUp * 1000, textWindow: t.textWindows * 1000, diffusion: t.diffusion * 1000,
                    decoder: t.decoder * 1000, other: (elapsed - setUp - t.total) * 1000)
            }
            try session.completeFeedback()  // the last frame's TTS pair and EOS, as the reference runs them
            let wall = clock.seconds
            let n = Double(session.framesProduced)
            let t = session.timings
            measured.append(
                TTSBenchRun(
                    wallS: wall, ttfaS: firstAudio, firstAudio: firstSplit, frames: session.framesProduced,
                    split: TTSFrameSplit(
                        textWindows: t.textWindows / n * 1000, ttsPair: t.ttsPair / n * 1000,
                        diffusion: t.diffusion / n * 1000, decoder: t.decoder / n * 1000,
                        connectorAndEOS: (t.connector + t.eos) / n * 1000, other: (wall - t.total) / n * 1000)))
        }
        return TTSBenchRow(
            impl: threads == 0 ? "cuda" : "swift", threads: threads, runs: measured, peakRSSBytes: nil, note: nil)
    }

    private func measureReference(threads: Int) -> TTSBenchRow {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("vv-bench-tts-\(UUID().uuidString).json")
        defer { try? FileManager.default.removeItem(at: out) }
        var arguments = [referenceScript, "--vv-root", upstream, "--threads", "\(threads)", "--runs", "\(referenceRuns)"]
        arguments += ["--frames", "\(frames)", "--cfg-scale", "\(cfgScale)", "--ddpm-steps", "\(steps)"]
        arguments += ["--no-progress-bar", "--json-out", out.path]
        if let voice { arguments += ["--voice", voice] }
        var environment = ProcessInfo.processInfo.environment
        environment["OMP_NUM_THREADS"] = "\(threads)"
        environment["PYTHONPATH"] = upstream
        let hint = "pass --reference-script, --upstream (the exported microsoft/VibeVoice source) and --python"
        let status = PythonReference.run(python: python, arguments: arguments, environment: environment)
        guard status == 0, let data = try? Data(contentsOf: out),
            let parsed = try? JSONDecoder().decode(ReferenceTTSDocument.self, from: data)
        else {
            let why = status.map { "\(referenceScript) exited with status \($0); \(hint)" } ?? "cannot start \(python)"
            return TTSBenchRow(impl: "python", threads: threads, runs: [], peakRSSBytes: nil, note: why)
        }
        return parsed.row(threads: threads)
    }
}
