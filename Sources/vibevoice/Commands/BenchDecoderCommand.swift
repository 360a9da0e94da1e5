import ArgumentParser
import Foundation
import VVCompute
import VVComputeCPU
import VVModelFiles
import VVModels
import VVPlatform

/// `vibevoice bench decoder`: the real-size σ-VAE decoder streaming one latent frame at a time (ms per 3200-sample
/// frame), beside the upstream Python decoder timed in the same run.
struct BenchDecoder: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "decoder",
        abstract: "σ-VAE decoder streaming speed (ms per latent frame) on the CPU backend, beside torch.",
        discussion: """
            Builds the acoustic decoder at the real shape (64 → 2048 → 32 channels, depths 8-3-3-3-3-3-3, 343.7 M
            parameters) with seeded random weights and decodes --frames latent frames one at a time through the
            streaming cache, as the realtime model does; each frame yields 3200 samples (133.3 ms of 24 kHz audio).
            With --torch-python, bench/python-ref/bench_decoder.py times the upstream TokenizerDecoder (torch CPU,
            fp32) the same way for each thread count. With --semantic, the real-size semantic encoder (128-d head) is
            also timed on one 3200-sample chunk per call through its streaming cache (the 1.5B's per-frame feedback;
            one 128-d frame out per call), on both sides.
            """)

    typealias WeightType = BenchWeightType

    @Option(help: "Thread counts to measure, comma-separated.")
    var threads: String = "1,2"
    @Option(help: "Timed frames per thread count (median and best reported).")
    var frames: Int = 10
    @Option(help: "Untimed frames first (caches filled, memory touched).")
    var warmup: Int = 2
    @Option(help: "Weight storage type for Swift (the checkpoints hold bf16).")
    var weights: WeightType = .bf16
    @Option(help: "Python with torch for the reference figures, or 'none'.")
    var torchPython: String = ProcessInfo.processInfo.environment["VV_REF_PYTHON"] ?? "python3"
    @Option(help: "The torch reference script.")
    var torchScript: String = "bench/python-ref/bench_decoder.py"
    @Option(help: "Upstream microsoft/VibeVoice source tree for the torch reference.")
    var vibevoiceSource: String = "/tmp/vv"
    @Flag(help: "Also time the semantic encoder on one 3200-sample chunk per call.")
    var semantic = false
    @Flag(help: "Print one JSON object instead of the table.")
    var json = false

    var threadList: [Int] { parseThreadList(threads) }

    func validate() throws {
        try validateThreadList(threadList)
        guard frames > 0, warmup >= 0 else { throw ValidationError("--frames must be positive, --warmup not negative") }
    }

    mutating func run() async throws {
        let config = try JSONDecoder().decode(AcousticTokenizerConfig.self, from: Data("{}".utf8)).value
        let dtype = weights.dtype
        var rows: [DecoderBenchRow] = []
        let source = TokenizerRandomWeights.make(
            config: config, prefix: "model.acoustic_tokenizer.", encoder: false, decoder: true, dtype: dtype)
        for count in threadList { rows.append(try measureSwift(config: config, source: source, threads: count)) }
        if semantic {
            let semanticConfig = try JSONDecoder().decode(
                SemanticTokenizerConfig.self, from: Data(#"{"vae_dim": 128}"#.utf8)
            ).value
            let semanticSource = TokenizerRandomWeights.make(
                config: semanticConfig, prefix: "model.semantic_tokenizer.", encoder: true, decoder: false, dtype: dtype
            )
            for count in threadList {
                rows.append(try measureSemantic(config: semanticConfig, source: semanticSource, threads: count))
            }
        }
        if torchPython != "none" {
            for module in semantic ? ["decoder", "semantic"] : ["decoder"] {
                for count in threadList { rows.append(measureTorch(module: module, threads: count)) }
            }
        }
        let report = DecoderBenchReport(
            weights: weights.rawValue, frames: frames, isa: CPUBackend.ISA.detected.description,
            peakRSSBytes: ProcessMemory.peakResidentBytes(), results: rows)
        try printBenchReport(report, json: json) { report.table() }
    }

    private func measureSwift(config: SpeechTokenizerConfig, source: InMemoryTensors, threads: Int) throws
        -> DecoderBenchRow
    {
        let ctx = ComputeContext(backend: CPUBackend(threads: threads))
        let binder = WeightBinder(source: source)
        let model = try AcousticTokenizer(
            config: config, weights: WeightScope(binder: binder, context: ctx).child("model.acoustic_tokenizer"),
            encoder: false)
        try binder.finish()
        var random = SystemRandomNumberGenerator()
        var cache = TokenizerStreamingCache()
        var times: [Double] = []
        for step in 0..<(warmup + frames) {
            let latent = try ctx.upload(
                (0..<64).map { _ in Float.random(in: -1.7...1.7, using: &random) }, shape: [1, 1, 64])
            let begin = Date()
            let audio = try ctx.download(model.decode(latent, cache: &cache, ctx))
            let elapsed = Date().timeIntervalSince(begin) * 1000
            guard audio.count == 3200 else { throw ValidationError("decoder returned \(audio.count) samples") }
            if step >= warmup { times.append(elapsed) }
        }
        return row(times, threads: threads, module: "decoder")
    }

    /// The semantic encoder, one 3200-sample chunk per call (one 128-d frame out).
    private func measureSemantic(config: SpeechTokenizerConfig, source: InMemoryTensors, threads: Int) throws
        -> DecoderBenchRow
    {
        let ctx = ComputeContext(backend: CPUBackend(threads: threads))
        let binder = WeightBinder(source: source)
        let model = try SemanticTokenizer(
            config: config, weights: WeightScope(binder: binder, context: ctx).child("model.semantic_tokenizer"))
        try binder.finish()
        var random = SystemRandomNumberGenerator()
        var cache = TokenizerStreamingCache()
        var times: [Double] = []
        for step in 0..<(warmup + frames) {
            let chunk = try ctx.upload(
                (0..<3200).map { _ in Float.random(in: -0.5...0.5, using: &random) }, shape: [1, 1, 3200])
            let begin = Date()
            let features = try ctx.download(model.encode(chunk, cache: &cache, isFinalChunk: false, ctx))
            let elapsed = Date().timeIntervalSince(begin) * 1000
            guard features.count == 128 else { throw ValidationError("encoder returned \(features.count) values") }
            if step >= warmup { times.append(elapsed) }
        }
        return row(times, threads: threads, module: "semantic")
    }

    private func row(_ times: [Double], threads: Int, module: String) -> DecoderBenchRow {
        let sorted = times.sorted()
        return DecoderBenchRow(
            impl: "swift", module: module, threads: threads, dtype: weights.rawValue, frames: sorted.count,
            frameMs: sorted[sorted.count / 2], frameMsBest: sorted.first, peakRSSBytes: nil, note: nil)
    }

    private func measureTorch(module: String, threads: Int) -> DecoderBenchRow {
        let failed = { (why: String) in
            DecoderBenchRow(
                impl: "torch", module: module, threads: threads, dtype: "fp32", frames: 0, frameMs: nil,
                frameMsBest: nil, peakRSSBytes: nil, note: why)
        }
        let arguments = [
            torchScript, "--module", module, "--threads", "\(threads)", "--frames", "\(frames)", "--warmup",
            "\(warmup)", "--vibevoice-src", vibevoiceSource,
        ]
        let hint = "run from the repository root, pass --torch-script / --vibevoice-source, or --torch-python none"
        switch PythonReference.lastJSONLine(DecoderBenchRow.self, python: torchPython, arguments: arguments, hint: hint) {
        case .failure(let failure): return failed(failure.reason)
        case .success(let row): return row
        }
    }
}

/// One implementation at one thread count.
private struct DecoderBenchRow: Codable {
    var impl: String
    var module: String
    var threads: Int
    var dtype: String?
    var frames: Int
    var frameMs: Double?
    var frameMsBest: Double?
    var peakRSSBytes: Int?
    var note: String?

    enum CodingKeys: String, CodingKey {
        case impl, module, threads, dtype, frames, note
        case frameMs = "frame_ms", frameMsBest = "frame_ms_best", peakRSSBytes = "peak_rss_bytes"
    }
}

/// Everything `bench decoder` prints.
private struct DecoderBenchReport: Codable {
    let weights: String
    let frames: Int
    let isa: String
    let peakRSSBytes: Int?
    let results: [DecoderBenchRow]

    enum CodingKeys: String, CodingKey {
        case weights, frames, isa, results
        case peakRSSBytes = "swift_peak_rss_bytes"
    }

    func table() -> String {
        func cell(_ value: Double?, _ width: Int, digits: Int = 1) -> String {
            let text = value.map { String(format: "%.\(digits)f", $0) } ?? "-"
            return String(repeating: " ", count: max(0, width - text.count)) + text
        }
        var lines = [
            "bench decoder: σ-VAE decoder, real size (343.7 M parameters), streaming 1 latent frame = 3200 samples "
                + "per call, \(frames) timed frames, swift weights \(weights) (kernels: \(isa))",
            "impl   module    thr dtype    ms/frame   best ms   x realtime   peak MiB",
        ]
        for row in results {
            var line = row.impl.padding(toLength: 7, withPad: " ", startingAt: 0)
            line += row.module.padding(toLength: 10, withPad: " ", startingAt: 0)
            line += String(row.threads).padding(toLength: 4, withPad: " ", startingAt: 0)
            line += (row.dtype ?? "-").padding(toLength: 6, withPad: " ", startingAt: 0)
            line += cell(row.frameMs, 11) + cell(row.frameMsBest, 10)
            line += cell(row.frameMs.map { 133.333 / $0 }, 13, digits: 2)
            let peak = row.impl == "swift" ? peakRSSBytes : row.peakRSSBytes
            line += cell(peak.map { Double($0) / 1_048_576 }, 11, digits: 0)
            if let note = row.note { line += "  (\(note))" }
            lines.append(line)
        }
        for row in results where row.impl == "swift" {
            guard let ms = row.frameMs,
                let torch = results.first(where: {
                    $0.impl == "torch" && $0.module == row.module && $0.threads == row.threads
                })?.frameMs
            else { continue }
            lines.append(
                String(
                    format: "%@, %d thread(s): swift %.1f× faster than torch (median ms/frame)", row.module,
                    row.threads, torch / ms))
        }
        lines.append(
            "ms/frame: median of the timed calls (decoder: 1 latent frame in; semantic: 3200 samples in); "
                + "x realtime: 133.3 ms of audio per frame / ms/frame.")
        lines.append("swift peak MiB is the whole bench process (all thread counts); torch peak is per run.")
        return lines.joined(separator: "\n")
    }
}
