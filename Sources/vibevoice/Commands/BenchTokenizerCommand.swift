import ArgumentParser
import Foundation
import VVText

/// `vibevoice bench tokenizer`: single-thread encoding speed, beside Hugging Face `tokenizers` in the same run.
struct BenchTokenizer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenizer",
        abstract: "Measure tokenizer encoding speed (MB/s, one thread), optionally beside Hugging Face tokenizers.",
        discussion: """
            The corpus is the fixture JSON (the texts of its "cases") or a UTF-8 text file, one text per line.
            With --python, tools/fixtures/bench_hf_tokenizer.py is run with that interpreter on the same files and
            its figures are printed beside ours.
            """)

    /// Path of the Hugging Face `tokenizer.json`.
    @Option(name: .long, help: "Path of the tokenizer.json file.")
    var tokenizer = "Tests/VVTextTests/Fixtures/tokenizer.json"

    /// Corpus file: fixture JSON or text lines.
    @Option(name: .long, help: "Corpus: tokenizer_cases.json or a UTF-8 text file (one text per line).")
    var corpus = "Tests/VVTextTests/Fixtures/tokenizer_cases.json"

    /// Timed passes after the first.
    @Option(name: .customLong("repeat"), help: "Timed passes after the first (best is reported).")
    var passes = 5

    /// Python interpreter with `tokenizers` installed, for the reference figure.
    @Option(name: .long, help: "Python with tokenizers installed; runs the reference benchmark in the same run.")
    var python: String?

    /// The reference benchmark script.
    @Option(name: .long, help: "Path of bench_hf_tokenizer.py.")
    var script = "tools/fixtures/bench_hf_tokenizer.py"

    /// Print one JSON object instead of a table.
    @Flag(name: .long, help: "Print one JSON object with the same figures.")
    var json = false

    func run() async throws {
        let texts = try loadCorpus()
        let bytes = texts.reduce(0) { $0 + $1.utf8.count }
        let clock = ContinuousClock()

        var start = clock.now
        let tok = try Qwen2Tokenizer(contentsOf: URL(fileURLWithPath: tokenizer))
        let loadS = seconds(clock.now - start)

        start = clock.now
        var ids = 0
        for t in texts { ids += tok.encodeInt32(t).count }
        let firstS = seconds(clock.now - start)
        var bestS = Double.infinity
        for _ in 0..<max(1, passes) {
            start = clock.now
            var n = 0
            for t in texts { n += tok.encodeInt32(t).count }
            bestS = min(bestS, seconds(clock.now - start))
            precondition(n == ids, "encoding is not deterministic")
        }
        var rows: [(String, Double, Double, Double, Int)] = [
            ("VVText (Swift)", loadS, Double(bytes) / firstS / 1e6, Double(bytes) / bestS / 1e6, ids)
        ]
        var reference: [String: Any]? = nil
        if let python {
            let ref = try runReference(python: python)
            reference = ref
            let refBytes = (ref["bytes"] as? Double) ?? Double(bytes)
            let name = (ref["library"] as? String).map { "HF \($0) batch" } ?? "HF tokenizers batch"
            rows.append(
                (
                    name, ref["load_s"] as? Double ?? .nan, refBytes / (ref["first_pass_s"] as? Double ?? .nan) / 1e6,
                    refBytes / (ref["best_batch_s"] as? Double ?? .nan) / 1e6, Int(ref["ids"] as? Double ?? -1)
                ))
            rows.append(
                (
                    "HF encode() loop from Python", .nan, .nan,
                    refBytes / (ref["best_loop_s"] as? Double ?? .nan) / 1e6,
                    Int(ref["ids"] as? Double ?? -1)
                ))
        }
        if json {
            var object: [String: Any] = [
                "benchmark": "tokenizer", "corpus": corpus, "tokenizer": tokenizer, "texts": texts.count,
                "bytes": bytes,
                "swift": ["load_s": loadS, "first_pass_mb_s": rows[0].2, "best_mb_s": rows[0].3, "ids": ids],
            ]
            if let reference {
                object["reference"] = reference
                object["reference_best_batch_mb_s"] = rows[1].3
                object["speedup_vs_reference"] = rows[0].3 / rows[1].3
            }
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } else {
            print("tokenizer encode, one thread: \(texts.count) texts, \(bytes) bytes (\(corpus))")
            print(
                pad("implementation", 34) + pad("load s", 10) + pad("1st pass MB/s", 15) + pad("best MB/s", 11) + "ids")
            for r in rows {
                print(pad(r.0, 34) + pad(fmt(r.1, 3), 10) + pad(fmt(r.2, 2), 15) + pad(fmt(r.3, 2), 11) + "\(r.4)")
            }
            if rows.count > 1 { print("speed-up vs HF batch (best): \(fmt(rows[0].3 / rows[1].3, 2))x") }
        }
    }

    private func loadCorpus() throws -> [String] {
        let data = try Data(contentsOf: URL(fileURLWithPath: corpus))
        if corpus.hasSuffix(".json") {
            // JSONDecoder, not JSONSerialization: the latter drops some U+FEFF inside strings on Linux.
            guard let file = try? JSONDecoder().decode(CorpusFile.self, from: data) else {
                throw ValidationError("\(corpus) has no \"cases\" array of [text, ...] entries")
            }
            return file.cases.map(\.text)
        }
        return String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
            .map(String.init)
    }

    private func runReference(python: String) throws -> [String: Any] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [script, "--tokenizer", tokenizer, "--corpus", corpus, "--repeat", String(passes)]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0,
            let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { throw ValidationError("reference benchmark \(script) failed (exit \(process.terminationStatus))") }
        return object
    }

    private func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }

    private func fmt(_ x: Double, _ digits: Int) -> String {
        x.isNaN ? "-" : String(format: "%.\(digits)f", x)
    }

    private func pad(_ s: String, _ width: Int) -> String {
        s.count >= width ? s + " " : s + String(repeating: " ", count: width - s.count)
    }
}

/// The texts of a fixture file `{"cases": [[text, ...], ...]}`.
private struct CorpusFile: Decodable {
    struct Case: Decodable {
        let text: String
        init(from decoder: any Decoder) throws {
            var c = try decoder.unkeyedContainer()
            text = try c.decode(String.self)
        }
    }
    let cases: [Case]
}
