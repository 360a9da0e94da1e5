import Foundation

/// Milliseconds per speech frame, by part of the loop (the reference benchmark's split).
struct TTSFrameSplit: Codable {
    /// Text windows (base LM + TTS LM on 5 tokens), amortised over the frames.
    var textWindows: Double?
    /// The TTS LM speech step, positive and negative branch.
    var ttsPair: Double?
    /// The diffusion loop.
    var diffusion: Double?
    /// The streaming σ-VAE decoder.
    var decoder: Double?
    /// The acoustic connector and the EOS classifier.
    var connectorAndEOS: Double?
    /// Everything else (session set-up, glue).
    var other: Double?

    enum CodingKeys: String, CodingKey {
        case textWindows = "text_windows", ttsPair = "tts_lm_pair", diffusion, decoder
        case connectorAndEOS = "connector_eos", other
    }
}

/// Milliseconds from the request's start to its first audio, by part (Swift only).
struct TTSFirstAudioSplit: Codable {
    /// Session set-up: the prompt caches seeded from the preset.
    var setUp: Double
    /// The first text window through both stacks.
    var textWindow: Double
    /// The first frame's diffusion loop.
    var diffusion: Double
    /// The first frame's decode.
    var decoder: Double
    /// Unaccounted time (glue between the parts).
    var other: Double

    enum CodingKeys: String, CodingKey {
        case setUp = "set_up", textWindow = "text_window", diffusion, decoder, other
    }
}

/// One utterance.
struct TTSBenchRun: Codable {
    /// Wall time of the utterance, seconds.
    var wallS: Double
    /// Time to the first decoded audio frame, seconds.
    var ttfaS: Double?
    /// Where that time went (Swift only).
    var firstAudio: TTSFirstAudioSplit? = nil
    /// Speech frames produced.
    var frames: Int
    /// Per-frame split.
    var split: TTSFrameSplit

    /// Milliseconds per frame.
    var msPerFrame: Double { wallS * 1000 / Double(max(frames, 1)) }
    /// Seconds of audio per second of compute (24 kHz, 3200 samples per frame).
    var timesRealtime: Double { Double(frames) * 3200 / 24_000 / wallS }

    enum CodingKeys: String, CodingKey {
        case wallS = "wall_s", ttfaS = "ttfa_s", firstAudio = "first_audio_ms", frames, split = "ms_per_frame_split"
    }
}

/// One implementation at one thread count.
struct TTSBenchRow: Codable {
    var impl: String
    let threads: Int
    let runs: [TTSBenchRun]
    /// The reference process's own peak (Swift's is the report's, one process for every row).
    let peakRSSBytes: Int?
    var note: String?

    /// The first utterance after load.
    var cold: TTSBenchRun? { runs.first }
    /// The warm utterance of median wall time (the cold one when there is only one).
    var warm: TTSBenchRun? {
        let later = runs.dropFirst().sorted { $0.wallS < $1.wallS }
        return later.isEmpty ? runs.first : later[later.count / 2]
    }

    enum CodingKeys: String, CodingKey {
        case impl, threads, runs, note
        case peakRSSBytes = "peak_rss_bytes"
    }
}

/// Everything `bench tts` prints.
struct TTSBenchReport: Codable {
    let model: String
    let weights: String
    let kvCache: String
    let frames: Int
    let textTokens: Int
    let steps: Int
    let cfgScale: Float
    let promptPositions: [Int]
    let isa: String
    let prepareSeconds: Double
    let swiftPeakRSSBytes: Int?
    let results: [TTSBenchRow]

    enum CodingKeys: String, CodingKey {
        case model, weights, frames, steps, isa, results
        case kvCache = "kv_cache", textTokens = "text_tokens", cfgScale = "cfg_scale"
        case promptPositions = "prompt_positions", prepareSeconds = "prepare_s"
        case swiftPeakRSSBytes = "swift_peak_rss_bytes"
    }

    func table() -> String {
        func cell(_ value: Double?, _ width: Int, _ format: String = "%.1f") -> String {
            let text = value.map { String(format: format, $0) } ?? "-"
            return String(repeating: " ", count: max(0, width - text.count)) + text
        }
        func mib(_ bytes: Int?) -> String { bytes.map { "\($0 >> 20) MiB" } ?? "-" }
        var lines = [
            "bench tts: \(model), weights \(weights), KV cache \(kvCache), \(frames) frames "
                + "(\(String(format: "%.1f", Double(frames) * 3200 / 24_000)) s audio), \(textTokens) text tokens, "
                + "prompt \(promptPositions.map(String.init).joined(separator: "/")) positions, \(steps) steps, "
                + "cfg \(cfgScale) (kernels: \(isa))",
            "impl       thr  first audio ms    ms/frame      x real  |  text   tts pair  diffusion  decoder  conn+eos  other",
            "                cold     warm   cold    warm    time   |  (warm, ms per frame)",
        ]
        let referenceBest = results.filter { $0.impl == "python" }.compactMap { $0.warm?.msPerFrame }.min()
        for row in results {
            var line = row.impl.padding(toLength: 11, withPad: " ", startingAt: 0)
            line += String(row.threads).padding(toLength: 3, withPad: " ", startingAt: 0)
            if let cold = row.cold, let warm = row.warm {
                line += cell(cold.ttfaS.map { $0 * 1000 }, 8, "%.0f") + cell(warm.ttfaS.map { $0 * 1000 }, 9, "%.0f")
                line += cell(cold.msPerFrame, 7) + cell(warm.msPerFrame, 8) + cell(warm.timesRealtime, 8, "%.2f")
                let s = warm.split
                line += "   |" + cell(s.textWindows, 6) + cell(s.ttsPair, 10) + cell(s.diffusion, 11)
                line += cell(s.decoder, 9) + cell(s.connectorAndEOS, 10) + cell(s.other, 7)
                if row.impl != "python", let referenceBest {
                    line += String(format: "   %.1f× the fastest python row", referenceBest / warm.msPerFrame)
                }
            }
            if let peak = row.peakRSSBytes { line += "  peak \(mib(peak))" }
            if let note = row.note { line += "  (\(note))" }
            lines.append(line)
        }
        for row in results where row.impl != "python" {
            guard let f = row.warm?.firstAudio else { continue }
            let who = row.threads == 0 ? row.impl : "\(row.impl) \(row.threads) thr"
            lines.append(
                who
                    + String(
                        format: " first audio (warm): set-up %.1f + text window %.1f + diffusion %.1f + decoder %.1f + "
                            + "other %.1f ms", f.setUp, f.textWindow, f.diffusion, f.decoder, f.other))
        }
        lines.append(
            "swift: peak RSS \(mib(swiftPeakRSSBytes)) for the whole process (every thread count); model and "
                + "prompt prepared in \(String(format: "%.1f", prepareSeconds)) s.")
        lines.append(
            "first audio: from the request's start (prompt caches seeded, first text window) to its first decoded "
                + "frame; x real time: audio seconds per compute second (goal ≥ 1).")
        return lines.joined(separator: "\n")
    }
}

/// The parts of `bench_vibevoice_ref.py --json-out` this benchmark reads.
struct ReferenceTTSDocument: Decodable {
    struct Run: Decodable {
        let wallS: Double
        let ttfaS: Double?
        let framesSampled: Int
        let msPerFrame: [String: Double?]
        let cold: Bool

        enum CodingKeys: String, CodingKey {
            case wallS = "wall_s", ttfaS = "ttfa_s", framesSampled = "frames_sampled", msPerFrame = "ms_per_frame"
            case cold
        }
    }

    let runs: [Run]
    let peakRSSKilobytes: Int?

    enum CodingKeys: String, CodingKey {
        case runs
        case peakRSSKilobytes = "peak_rss_kb_ru_maxrss"
    }

    /// As a bench row: the script's split keys mapped onto ours.
    func row(threads: Int) -> TTSBenchRow {
        func value(_ run: Run, _ prefix: String) -> Double? {
            run.msPerFrame.first { $0.key.hasPrefix(prefix) }?.value ?? nil
        }
        let converted = runs.map { run in
            TTSBenchRun(
                wallS: run.wallS, ttfaS: run.ttfaS, frames: run.framesSampled,
                split: TTSFrameSplit(
                    textWindows: value(run, "text_windows"), ttsPair: value(run, "tts_lm"),
                    diffusion: value(run, "diffusion"), decoder: value(run, "acoustic decoder"),
                    connectorAndEOS: value(run, "connector"), other: value(run, "other")))
        }
        return TTSBenchRow(
            impl: "python", threads: threads, runs: converted, peakRSSBytes: peakRSSKilobytes.map { $0 * 1024 },
            note: nil)
    }
}
