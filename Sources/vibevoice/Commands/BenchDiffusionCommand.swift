import ArgumentParser
import Foundation
import VVCompute
import VVComputeCPU
import VVModelFiles
import VVModels
import VVPlatform

/// `vibevoice bench diffusion`: ms per frame of one CFG diffusion loop (the diffusion head on the batch of two,
/// classifier-free guidance, DPM-Solver++) at a real head shape with random weights, beside upstream's
/// `sample_speech_tokens` on torch timed in the same run.
struct BenchDiffusion: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diffusion",
        abstract: "Diffusion loop speed per frame (head + CFG + DPM-Solver++), beside the upstream torch modules.",
        discussion: """
            One frame = one latent: `--steps` head forwards on the CFG pair (batch 2), the guidance combine and the
            solver updates, then the latent is read back. Random weights at the real shape (realtime-0.5b: hidden
            896, 4 layers, FFN 2688, latent 64). The torch figures come from bench/python-ref/bench_diffusion.py,
            which runs upstream VibeVoiceDiffusionHead and sample_speech_tokens (microsoft/VibeVoice on
            --upstream).
            """)

    /// Head shapes of the three TTS models.
    enum ShapeName: String, ExpressibleByArgument, CaseIterable, Codable {
        case realtime = "realtime-0.5b", multiSpeaker = "1.5b", large = "7b"

        var hidden: Int {
            switch self {
            case .realtime: 896
            case .multiSpeaker: 1536
            case .large: 3584
            }
        }
    }

    typealias WeightType = BenchWeightType

    @Option(help: "Head shape: realtime-0.5b (hidden 896), 1.5b (1536), 7b (3584).")
    var shape: ShapeName = .realtime
    @Option(help: "DPM-Solver++ steps per frame.")
    var steps: Int = 5
    @Option(help: "Timed frames per thread count (after 2 warm-up frames); median and best reported.")
    var frames: Int = 20
    @Option(help: "Classifier-free guidance scale.")
    var cfg: Float = 1.5
    @Option(help: "Weight storage type for Swift (checkpoints are bf16).")
    var weights: WeightType = .bf16
    @Option(help: "Thread counts to measure, comma-separated.")
    var threads: String = "1,2"
    @Option(help: "Python with torch for the reference figures, or 'none'.")
    var torchPython: String = ProcessInfo.processInfo.environment["VV_REF_PYTHON"] ?? "python3"
    @Option(help: "The torch reference script.")
    var torchScript: String = "bench/python-ref/bench_diffusion.py"
    @Option(help: "Folder holding the upstream microsoft/VibeVoice source (PYTHONPATH for the script).")
    var upstream: String = "/tmp/vv"
    @Flag(help: "Print one JSON object instead of the table.")
    var json = false

    var threadList: [Int] { parseThreadList(threads) }

    func validate() throws {
        try validateThreadList(threadList)
        guard steps > 0, steps < 1000, frames > 0 else {
            throw ValidationError("--steps must be in 1...999 and --frames positive")
        }
    }

    func run() async throws {
        let config = try JSONDecoder().decode(
            DiffusionHeadConfig.self,
            from: Data(#"{"hidden_size": \#(shape.hidden), "head_layers": 4, "latent_size": 64}"#.utf8))
        let dtype = weights.dtype
        let source = DiffusionHeadRandomWeights.make(config: config, prefix: "model.prediction_head", dtype: dtype)
        var rows: [DiffusionBenchRow] = []
        for count in threadList { rows.append(try measureSwift(config: config, source: source, threads: count)) }
        if torchPython != "none" {
            for count in threadList { rows.append(measureTorch(config: config, threads: count)) }
        }
        let report = DiffusionBenchReport(
            shape: shape.rawValue, hidden: config.hiddenSize, headLayers: config.headLayers, ffn: config.ffnSize,
            latent: config.latentSize, steps: steps, cfg: cfg, weights: weights.rawValue,
            isa: CPUBackend.ISA.detected.description, peakRSSBytes: ProcessMemory.peakResidentBytes(), results: rows)
        try printBenchReport(report, json: json) { report.table() }
    }

    private func measureSwift(config: DiffusionHeadConfig, source: InMemoryTensors, threads: Int) throws
        -> DiffusionBenchRow
    {
        let ctx = ComputeContext(backend: CPUBackend(threads: threads))
        let binder = WeightBinder(source: source)
        let head = try DiffusionHead(
            config: config, weights: WeightScope(binder: binder, context: ctx).child("model.prediction_head"))
        try binder.finish()
        let sampler = SpeechLatentSampler(
            head: head, schedule: try DPMSolverSchedule(), steps: steps, cfgScale: cfg)
        var noise = GaussianNoise(seed: 1)
        let condition = try noise.tensor([1, config.hiddenSize], ctx)
        let negative = try noise.tensor([1, config.hiddenSize], ctx)
        var times: [Double] = []
        for frame in 0..<(frames + 2) {
            let start = Date()
            let z = try sampler.sampleSpeechTokens(
                condition: condition, negativeCondition: negative, generator: &noise, ctx)
            _ = try ctx.download(z)
            if frame >= 2 { times.append(Date().timeIntervalSince(start) * 1000) }
        }
        return DiffusionBenchRow(
            impl: "swift", threads: threads, dtype: weights.rawValue, msPerFrame: times.sorted()[times.count / 2],
            msPerFrameBest: times.min(), headForwardMs: nil, note: nil)
    }

    private func measureTorch(config: DiffusionHeadConfig, threads: Int) -> DiffusionBenchRow {
        let failed = { (why: String) in
            DiffusionBenchRow(
                impl: "torch", threads: threads, dtype: "fp32", msPerFrame: nil, msPerFrameBest: nil,
                headForwardMs: nil, note: why)
        }
        let arguments = [
            torchScript, "--hidden", "\(config.hiddenSize)", "--layers", "\(config.headLayers)", "--latent",
            "\(config.latentSize)", "--steps", "\(steps)", "--frames", "\(frames)", "--threads", "\(threads)",
            "--cfg", "\(cfg)",
        ]
        var environment = ProcessInfo.processInfo.environment
        environment["PYTHONPATH"] = [upstream, environment["PYTHONPATH"]].compactMap { $0 }.joined(separator: ":")
        let hint = "run from the repository root with the upstream source at --upstream"
        switch PythonReference.lastJSONLine(
            DiffusionBenchRow.self, python: torchPython, arguments: arguments, environment: environment, hint: hint)
        {
        case .failure(let failure): return failed(failure.reason)
        case .success(let row): return row
        }
    }
}

/// One implementation at one thread count.
private struct DiffusionBenchRow: Codable {
    var impl: String
    var threads: Int
    var dtype: String?
    var msPerFrame: Double?
    var msPerFrameBest: Double?
    var headForwardMs: Double?
    var note: String?

    enum CodingKeys: String, CodingKey {
        case impl, threads, dtype, note
        case msPerFrame = "ms_per_frame", msPerFrameBest = "ms_per_frame_best", headForwardMs = "head_forward_ms"
    }
}

/// Everything `bench diffusion` prints.
private struct DiffusionBenchReport: Codable {
    let shape: String
    let hidden: Int
    let headLayers: Int
    let ffn: Int
    let latent: Int
    let steps: Int
    let cfg: Float
    let weights: String
    let isa: String
    let peakRSSBytes: Int?
    let results: [DiffusionBenchRow]

    enum CodingKeys: String, CodingKey {
        case shape, hidden, ffn, latent, steps, cfg, weights, isa, results
        case headLayers = "head_layers", peakRSSBytes = "swift_peak_rss_bytes"
    }

    func table() -> String {
        func cell(_ value: Double?, _ width: Int) -> String {
            let text = value.map { String(format: "%.1f", $0) } ?? "-"
            return String(repeating: " ", count: max(0, width - text.count)) + text
        }
        var lines = [
            "bench diffusion: \(shape), hidden \(hidden), \(headLayers) layers, FFN \(ffn), latent \(latent), "
                + "\(steps) steps, CFG \(cfg) (batch 2), swift weights \(weights) (kernels: \(isa))",
            "impl   thr dtype  ms/frame      best   head fwd ms",
        ]
        let torchBest = results.filter { $0.impl == "torch" }.compactMap(\.msPerFrame).min()
        for row in results {
            var line = row.impl.padding(toLength: 7, withPad: " ", startingAt: 0)
            line += String(row.threads).padding(toLength: 4, withPad: " ", startingAt: 0)
            line += (row.dtype ?? "-").padding(toLength: 6, withPad: " ", startingAt: 0)
            line += cell(row.msPerFrame, 9) + cell(row.msPerFrameBest, 10) + cell(row.headForwardMs, 14)
            if row.impl == "swift", let torchBest, let ms = row.msPerFrame {
                line += String(format: "   %.1f× the fastest torch row", torchBest / ms)
            }
            if let note = row.note { line += "  (\(note))" }
            lines.append(line)
        }
        lines.append(
            "ms per frame: median/best of the timed frames (one latent: \(steps) head forwards + CFG + solver).")
        return lines.joined(separator: "\n")
    }
}
