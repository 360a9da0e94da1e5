import Foundation

/// The transcript shapes of OpenAI's `response_format`.
public enum TranscriptFormat: String, CaseIterable, Sendable {
    case json, text, srt, vtt
    case verboseJSON = "verbose_json"
    case diarizedJSON = "diarized_json"

    /// Whether the body is JSON (`application/json`) rather than plain text.
    public var isJSON: Bool { self == .json || self == .verboseJSON || self == .diarizedJSON }
}

/// Options that shape rendered transcripts.
public struct TranscriptRenderOptions: Sendable, Equatable {
    /// The task named in verbose JSON (`transcribe` or `translate`).
    public var task: String = "transcribe"
    /// The language reported in verbose JSON; empty when unknown (never invented).
    public var language: String = ""
    /// Subtitle speaker label; `{id}` is replaced by the 0-based speaker index.
    public var speakerLabel: String = "Speaker {id}"
    /// Names for speakers 0, 1, ... in diarized JSON (`known_speaker_names[]`); `A`, `B`, ... after those.
    public var knownSpeakerNames: [String] = []

    /// Creates default options.
    public init() {}
}

/// Renders a `TranscriptionResult` in each OpenAI transcript format. Shared by the server and the CLI.
public enum TranscriptRenderer {
    /// Renders `result` as `format`; JSON formats return UTF-8 JSON text.
    public static func render(
        _ result: TranscriptionResult, as format: TranscriptFormat, options: TranscriptRenderOptions = .init()
    ) -> String {
        switch format {
        case .json: return jsonString(["text": result.text, "usage": usage(result)])
        case .text: return result.text
        case .srt: return srt(result.segments, options: options)
        case .vtt: return vtt(result.segments, options: options)
        case .verboseJSON: return jsonString(verbose(result, options: options))
        case .diarizedJSON: return jsonString(diarized(result, options: options))
        }
    }

    /// OpenAI duration usage: `{"type":"duration","seconds":N}`.
    public static func usage(_ result: TranscriptionResult) -> [String: Any] {
        ["type": "duration", "seconds": rounded(result.duration)]
    }

    /// The label a speaker gets in diarized JSON: a known name, else `A`, `B`, ..., `Z`, `AA`, ...
    public static func diarizedLabel(_ speaker: Int?, options: TranscriptRenderOptions) -> String {
        let s = max(speaker ?? 0, 0)
        if s < options.knownSpeakerNames.count { return options.knownSpeakerNames[s] }
        var n = s
        var label = ""
        repeat {
            label = String(UnicodeScalar(UInt8(65 + n % 26))) + label
            n = n / 26 - 1
        } while n >= 0
        return label
    }

    static func subtitleLabel(_ speaker: Int?, options: TranscriptRenderOptions) -> String? {
        guard let speaker else { return nil }
        return options.speakerLabel.replacingOccurrences(of: "{id}", with: String(speaker))
    }

    static func srt(_ segments: [TranscriptSegment], options: TranscriptRenderOptions) -> String {
        var out = ""
        for (i, s) in segments.enumerated() {
            let label = subtitleLabel(s.speaker, options: options).map { "[\($0)] " } ?? ""
            out += "\(i + 1)\n\(timestamp(s.start, separator: ",")) --> \(timestamp(s.end, separator: ","))\n"
            out += "\(label)\(cueText(s.text))\n\n"
        }
        return out
    }

    static func vtt(_ segments: [TranscriptSegment], options: TranscriptRenderOptions) -> String {
        var out = "WEBVTT\n\n"
        for s in segments {
            let text = cueText(s.text)
            let voiced = subtitleLabel(s.speaker, options: options).map { "<v \($0)>\(text)" } ?? text
            out += "\(timestamp(s.start, separator: ".")) --> \(timestamp(s.end, separator: "."))\n\(voiced)\n\n"
        }
        return out
    }

    static func verbose(_ result: TranscriptionResult, options: TranscriptRenderOptions) -> [String: Any] {
        let segments: [[String: Any]] = result.segments.enumerated().map { i, s in
            var seg: [String: Any] = [
                "id": i, "seek": 0, "start": rounded(s.start), "end": rounded(s.end),
                "text": s.text.trimmingCharacters(in: .whitespacesAndNewlines), "tokens": [Int](), "temperature": 0.0,
                "avg_logprob": 0.0, "compression_ratio": 1.0, "no_speech_prob": 0.0,
            ]
            if let sp = s.speaker {
                seg["speaker"] = subtitleLabel(sp, options: options) ?? String(sp)
                seg["speaker_id"] = sp
            }
            return seg
        }
        return [
            "task": options.task, "language": options.language, "duration": rounded(result.duration),
            "text": result.text, "segments": segments, "usage": usage(result),
        ]
    }

    static func diarized(_ result: TranscriptionResult, options: TranscriptRenderOptions) -> [String: Any] {
        let segments: [[String: Any]] = result.segments.enumerated().map { i, s in
            [
                "type": "transcript.text.segment", "id": String(format: "seg_%03d", i + 1),
                "start": rounded(s.start), "end": rounded(s.end),
                "text": s.text.trimmingCharacters(in: .whitespacesAndNewlines),
                "speaker": diarizedLabel(s.speaker, options: options),
            ]
        }
        let text = result.segments.map {
            "\(diarizedLabel($0.speaker, options: options)): \($0.text.trimmingCharacters(in: .whitespacesAndNewlines))"
        }.joined(separator: "\n")
        return [
            "task": options.task, "duration": rounded(result.duration), "text": text, "segments": segments,
            "usage": usage(result),
        ]
    }

    /// `HH:MM:SS,mmm` (SRT) or `HH:MM:SS.mmm` (VTT), rounded to the millisecond.
    static func timestamp(_ seconds: Double, separator: String) -> String {
        let ms = Int((max(seconds, 0) * 1000).rounded())
        let h = ms / 3_600_000, m = ms / 60_000 % 60, s = ms / 1000 % 60, r = ms % 1000
        return String(format: "%02d:%02d:%02d", h, m, s) + separator + String(format: "%03d", r)
    }

    /// Cue text may not contain a blank line (it would end the cue).
    static func cueText(_ text: String) -> String {
        text.trimmingCharacters(in: .whitespacesAndNewlines).components(separatedBy: .newlines)
            .filter { !$0.trimmingCharacters(in: .whitespaces).isEmpty }.joined(separator: "\n")
    }

    static func rounded(_ x: Double) -> Double { (x * 1000).rounded() / 1000 }

    /// Serialises a JSON object with sorted keys (stable output for clients and tests).
    public static func jsonString(_ object: [String: Any]) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]),
            let s = String(data: data, encoding: .utf8)
        else { return "{}" }
        return s
    }
}
