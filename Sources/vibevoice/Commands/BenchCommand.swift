import ArgumentParser
import Foundation
import VVCompute
import VVComputeCPU
import VVComputeCUDA
import VVModelFiles
import VVModels
import VVPlatform

/// `vibevoice bench`: performance figures measured at the real model shapes with random weights.
struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Measure performance at real model shapes (random weights).",
        subcommands: [LM.self, AudioBenchCommand.self, BenchTokenizer.self, BenchDiffusion.self, BenchDecoder.self, BenchTTS.self])
}

extension Bench {
    /// `vibevoice bench lm`: the Qwen2 decoder (prefill tokens/s, decode ms/step) beside torch in the same run.
    struct LM: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "lm",
            abstract: "Qwen2 LM prefill and decode speed on the CPU backend, beside transformers/torch.")

        /// The model shapes offered.
        enum ShapeName: String, ExpressibleByArgument, CaseIterable, Codable {
            case realtime = "realtime-0.5b", multiSpeaker = "1.5b", asr = "asr-7b"
        }

        typealias WeightType = BenchWeightType

        @Option(help: "Model shape: realtime-0.5b (20-layer TTS stack, embeddings in), 1.5b, asr-7b.")
        var shape: ShapeName = .realtime
        @Option(help: "Layers to build (default: realtime-0.5b 20, 1.5b 28, asr-7b 4 of 28 to fit memory).")
        var layers: Int?
        @Option(help: "Sequences decoded together (default: 2, the CFG pair, for TTS; 1 for asr-7b).")
        var batch: Int?
        @Option(help: "Weight storage type.")
        var weights: WeightType = .bf16
        @Option(help: "KV cache storage type (f32 is the reference; bf16/f16 halve cache memory and traffic).")
        var kvCache: WeightType = .f32
        @Option(help: "Compute backend: cpu, or cuda (experimental: see docs/cuda.md).")
        var backend: BenchBackend = .cpu
        @Option(help: "CUDA device index (with --backend cuda).")
        var gpuID = 0
        @Option(help: "Thread counts to measure, comma-separated (CPU backend).")
        var threads: String = "1,2"
        @Option(help: "Prefill length in tokens (batch 1).")
        var prefill: Int = 128
        @Option(help: "Decode context lengths, comma-separated.")
        var contexts: String = "64,512,2048"
        @Option(help: "Timed decode steps per context (median reported).")
        var steps: Int = 10
        @Option(help: "Python with torch and transformers for the reference figures, or 'none'.")
        var torchPython: String = ProcessInfo.processInfo.environment["VV_REF_PYTHON"] ?? "python3"
        @Option(help: "The torch reference script.")
        var torchScript: String = "bench/python-ref/bench_lm.py"
        @Option(help: "Torch dtype for the reference (fp32 or bf16).")
        var torchDtype: String = "fp32"
        @Flag(help: "Print one JSON object instead of the table.")
        var json = false

        func validate() throws {
            try validateThreadList(threadList)
            guard !contextList.isEmpty, contextList.allSatisfy({ $0 > 0 }) else {
                throw ValidationError("--contexts must list positive integers")
            }
            guard prefill > 0, steps > 0, (layers ?? 1) > 0, (batch ?? 1) > 0 else {
                throw ValidationError("--prefill, --steps, --layers and --batch must be positive")
            }
        }

        var threadList: [Int] { parseThreadList(threads) }
        var contextList: [Int] { contexts.split(separator: ",").compactMap { Int($0) } }

        mutating func run() async throws {
            let plan = BenchPlan(shape: shape, layers: layers, batch: batch)
            let dtype = weights.dtype
            let source = Qwen2RandomWeights.make(
                config: plan.config, prefix: "model", layers: plan.layers, embedding: plan.inputsAreIds,
                finalNorm: true, lmHead: plan.head != .none, dtype: dtype)
            var rows: [BenchRow] = []
            switch backend {
            case .cpu:
                for count in threadList {
                    let ctx = ComputeContext(backend: CPUBackend(threads: count))
                    rows.append(try measureSwift(plan: plan, source: source, context: ctx, threads: count))
                }
            case .cuda:
                let cuda = try CUDABackend.load(gpuID: gpuID)
                try cuda.prepareKernels()
                var row = try measureSwift(plan: plan, source: source, context: ComputeContext(backend: cuda), threads: 0)
                row.impl = "cuda"
                row.note = "\(cuda.device)"
                rows.append(row)
            }
            if torchPython != "none" {
                for count in threadList { rows.append(measureTorch(plan: plan, threads: count)) }
            }
            let report = BenchReport(
                shape: shape.rawValue, layers: plan.layers, fullLayers: plan.fullLayers, batch: plan.batch,
                weights: weights.rawValue, kvCache: kvCache.rawValue, hidden: plan.config.hiddenSize,
                head: plan.head.rawValue,
                prefillTokens: prefill, isa: CPUBackend.ISA.detected.description,
                peakRSSBytes: ProcessMemory.peakResidentBytes(), results: rows)
            try printBenchReport(report, json: json) { report.table(contexts: contextList) }
        }

        private func measureSwift(
            plan: BenchPlan, source: InMemoryTensors, context ctx: ComputeContext, threads: Int
        ) throws -> BenchRow {
            let binder = WeightBinder(source: source)
            let root = WeightScope(binder: binder, context: ctx)
            let model = try Qwen2Model(
                config: plan.config, weights: root.child("model"), layerCount: plan.layers, finalNorm: true,
                embedding: plan.inputsAreIds ? .used : .absent)
            let head = plan.head == .none ? nil : try Qwen2LMHead(config: plan.config, weights: root)
            try binder.finish()
            var random = SystemRandomNumberGenerator()
            func input(_ rows: Int) throws -> Qwen2Model.Input {
                if plan.inputsAreIds {
                    let ids = (0..<rows).map { _ in Int32.random(in: 0..<150_000, using: &random) }
                    return .ids(try ctx.uploadInt32(ids, shape: [rows]))
                }
                let values = (0..<rows * plan.config.hiddenSize).map { _ in Float.random(in: -1...1, using: &random) }
                return .embeddings(try ctx.upload(values, shape: [rows, plan.config.hiddenSize]))
            }
            func step(_ x: Qwen2Model.Input, tokens: Int, _ cache: inout Qwen2KVCache) throws {
                let hidden = try model.forward(x, tokens: tokens, cache: &cache, context: ctx)
                if let head {
                    let last = try Qwen2Model.lastTokenRows(hidden, batch: cache.batch, tokens: tokens, context: ctx)
                    _ = try head.greedy(last, allowed: plan.head == .restricted ? plan.allowedIds : nil, ctx)
                } else {
                    _ = try ctx.download(hidden.rows(0..<1))
                }
            }
            var prefillCache = try Qwen2KVCache(
                config: plan.config, layers: plan.layers, batch: 1, capacity: prefill + 8, context: ctx)
            try step(input(8), tokens: 8, &prefillCache)
            try prefillCache.setLength(0, slot: 0)
            let prefillInput = try input(prefill)
            let start = Date()
            try step(prefillInput, tokens: prefill, &prefillCache)
            let prefillRate = Double(prefill) / Date().timeIntervalSince(start)

            let cacheType: DType = kvCache == .bf16 ? .bf16 : kvCache == .f16 ? .f16 : .f32
            var cache = try Qwen2KVCache(
                config: plan.config, layers: plan.layers, batch: plan.batch,
                capacity: (contextList.max() ?? 0) + steps + 2, dtype: cacheType, context: ctx)
            var decode: [String: Double] = [:]
            var best: [String: Double] = [:]
            for context in contextList {
                for slot in 0..<plan.batch { try cache.setLength(context, slot: slot) }
                let x = try input(plan.batch)
                try step(x, tokens: 1, &cache)
                var times: [Double] = []
                for _ in 0..<steps {
                    let begin = Date()
                    try step(x, tokens: 1, &cache)
                    times.append(Date().timeIntervalSince(begin) * 1000)
                }
                decode[String(context)] = times.sorted()[times.count / 2]
                best[String(context)] = times.min()
            }
            return BenchRow(
                impl: "swift", threads: threads, dtype: weights.rawValue, prefillTokensPerS: prefillRate,
                decodeMs: decode, decodeMsBest: best, peakRSSBytes: nil, note: nil)
        }

        private func measureTorch(plan: BenchPlan, threads: Int) -> BenchRow {
            let c = plan.config
            var arguments = [torchScript]
            arguments += ["--hidden", "\(c.hiddenSize)", "--intermediate", "\(c.intermediateSize)"]
            arguments += ["--heads", "\(c.numAttentionHeads)", "--kv-heads", "\(c.numKeyValueHeads)"]
            arguments += ["--layers", "\(plan.layers)", "--vocab", "\(c.vocabSize)", "--batch", "\(plan.batch)"]
            arguments += ["--threads", "\(threads)", "--prefill", "\(prefill)", "--contexts", contexts]
            arguments += ["--steps", "\(steps)", "--dtype", torchDtype, "--head", plan.head.rawValue]
            arguments += ["--inputs", plan.inputsAreIds ? "ids" : "embeddings"]
            let failed = { (why: String) in
                BenchRow(
                    impl: "torch", threads: threads, dtype: torchDtype, prefillTokensPerS: nil, decodeMs: [:],
                    decodeMsBest: nil, peakRSSBytes: nil, note: why)
            }
            let hint = "run from the repository root or pass --torch-script"
            switch PythonReference.lastJSONLine(BenchRow.self, python: torchPython, arguments: arguments, hint: hint) {
            case .failure(let failure):
                return failed(failure.reason)
            case .success(var row):
                row.dtype = torchDtype
                return row
            }
        }
    }
}

/// What `bench lm` builds for a shape.
private struct BenchPlan {
    enum Head: String { case none, restricted, full }

    let config: Qwen2Config
    let layers: Int
    let fullLayers: Int
    let batch: Int
    let inputsAreIds: Bool
    let head: Head
    /// The 1.5B's four speech/eos token ids (spec-tts.md §6).
    let allowedIds: [Int32] = [151652, 151653, 151654, 151643]

    init(shape: Bench.LM.ShapeName, layers: Int?, batch: Int?) {
        switch shape {
        case .realtime:
            config = Qwen2Config(
                vocabSize: 151936, hiddenSize: 896, intermediateSize: 4864, numHiddenLayers: 20, numAttentionHeads: 14,
                numKeyValueHeads: 2)
            fullLayers = 20
            self.layers = layers ?? 20
            self.batch = batch ?? 2
            inputsAreIds = false
            head = .none
        case .multiSpeaker:
            config = Qwen2Config(
                vocabSize: 151936, hiddenSize: 1536, intermediateSize: 8960, numHiddenLayers: 28, numAttentionHeads: 12,
                numKeyValueHeads: 2, tieWordEmbeddings: true)
            fullLayers = 28
            self.layers = layers ?? 28
            self.batch = batch ?? 2
            inputsAreIds = true
            head = .restricted
        case .asr:
            config = Qwen2Config(
                vocabSize: 152064, hiddenSize: 3584, intermediateSize: 18944, numHiddenLayers: 28,
                numAttentionHeads: 28, numKeyValueHeads: 4)
            fullLayers = 28
            self.layers = layers ?? 4
            self.batch = batch ?? 1
            inputsAreIds = true
            head = .full
        }
    }
}

/// One implementation at one thread count.
private struct BenchRow: Codable {
    var impl: String
    var threads: Int
    var dtype: String?
    var prefillTokensPerS: Double?
    var decodeMs: [String: Double]
    var decodeMsBest: [String: Double]?
    var peakRSSBytes: Int?
    var note: String?

    enum CodingKeys: String, CodingKey {
        case impl, threads, dtype, note
        case prefillTokensPerS = "prefill_tokens_per_s", decodeMs = "decode_ms", decodeMsBest = "decode_ms_best"
        case peakRSSBytes = "peak_rss_bytes"
    }
}

/// Everything `bench lm` prints.
private struct BenchReport: Codable {
    let shape: String
    let layers: Int
    let fullLayers: Int
    let batch: Int
    let weights: String
    let kvCache: String
    let hidden: Int
    let head: String
    let prefillTokens: Int
    let isa: String
    let peakRSSBytes: Int?
    let results: [BenchRow]

    enum CodingKeys: String, CodingKey {
        case shape, layers, batch, weights, hidden, head, isa, results
        case kvCache = "kv_cache"
        case fullLayers = "full_layers", prefillTokens = "prefill_tokens", peakRSSBytes = "swift_peak_rss_bytes"
    }

    func table(contexts: [Int]) -> String {
        func cell(_ value: Double?, _ width: Int, digits: Int = 1) -> String {
            let text = value.map { String(format: "%.\(digits)f", $0) } ?? "-"
            return String(repeating: " ", count: max(0, width - text.count)) + text
        }
        var lines = [
            "bench lm: \(shape), \(layers) of \(fullLayers) layers, hidden \(hidden), batch \(batch), "
                + "swift weights \(weights), KV cache \(kvCache) (kernels: \(isa)), head \(head), prefill \(prefillTokens) tokens",
            "impl   thr dtype  prefill tok/s"
                + contexts.map { String(repeating: " ", count: max(1, 12 - "ms@\($0)".count)) + "ms@\($0)" }.joined()
                + "   peak MiB",
        ]
        for row in results {
            var line = row.impl.padding(toLength: 7, withPad: " ", startingAt: 0)
            line += String(row.threads).padding(toLength: 4, withPad: " ", startingAt: 0)
            line += (row.dtype ?? "-").padding(toLength: 6, withPad: " ", startingAt: 0)
            line += cell(row.prefillTokensPerS, 14)
            for context in contexts {
                let median = row.decodeMs[String(context)].map { String(format: "%.1f", $0) } ?? "-"
                let best = row.decodeMsBest?[String(context)].map { String(format: "/%.1f", $0) } ?? ""
                let text = median + best
                line += String(repeating: " ", count: max(1, 12 - text.count)) + text
            }
            let peak = row.impl == "swift" ? peakRSSBytes : row.peakRSSBytes
            line += cell(peak.map { Double($0) / 1_048_576 }, 11, digits: 0)
            if let note = row.note { line += "  (\(note))" }
            lines.append(line)
        }
        lines.append("decode ms per step: median/best of the timed steps. swift peak MiB is the whole bench process")
        lines.append("(all thread counts); torch peak is per run.")
        if layers != fullLayers {
            lines.append("decode per step scales about linearly with layers: × \(fullLayers)/\(layers) for the full model.")
        }
        return lines.joined(separator: "\n")
    }
}
