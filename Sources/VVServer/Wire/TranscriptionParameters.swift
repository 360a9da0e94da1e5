import Foundation
import VVPipelines

/// The fields of `POST /v1/audio/transcriptions` and `/translations`, validated (research/api.md §1.3, §4.1).
/// Array fields are accepted with and without brackets (`keywords[]` and `keywords`).
struct TranscriptionParameters: Sendable {
    var file: MultipartPart
    var model: String?
    var language: String?
    var prompt: String?
    var format: TranscriptFormat
    var temperature: Double?
    var stream: Bool
    var keywords: [String]
    var knownSpeakerNames: [String]
    var timestampGranularities: [String]

    static func parse(_ parts: [MultipartPart], translation: Bool) throws(APIError) -> TranscriptionParameters {
        var single: [String: String] = [:]
        var arrays: [String: [String]] = [:]
        var file: MultipartPart?
        for part in parts {
            if part.name == "file" {
                guard file == nil else { throw .invalid("Only one 'file' may be sent.", param: "file") }
                file = part
                continue
            }
            let name = part.name.hasSuffix("[]") ? String(part.name.dropLast(2)) : part.name
            arrays[name, default: []].append(part.text)
            single[name] = part.text
        }
        guard let file else { throw .invalid("'file' is required.", param: "file") }
        guard !file.data.isEmpty else { throw .invalid("'file' is empty.", param: "file") }
        let allowed: [TranscriptFormat] =
            translation ? [.json, .text, .srt, .vtt, .verboseJSON] : TranscriptFormat.allCases
        let formatName = single["response_format"] ?? "json"
        guard let format = TranscriptFormat(rawValue: formatName.lowercased()), allowed.contains(format) else {
            throw .invalid(
                "'response_format' must be one of \(allowed.map(\.rawValue).joined(separator: ", ")); got '\(formatName)'.",
                param: "response_format")
        }
        var temperature: Double?
        if let t = single["temperature"], !t.isEmpty {
            guard let v = Double(t), (0...1).contains(v) else {
                throw .invalid("'temperature' must be a number between 0 and 1; got '\(t)'.", param: "temperature")
            }
            temperature = v
        }
        var stream = false
        if let s = single["stream"] {
            switch s.lowercased() {
            case "true", "1": stream = true
            case "false", "0", "": stream = false
            default: throw .invalid("'stream' must be true or false; got '\(s)'.", param: "stream")
            }
        }
        let granularities = arrays["timestamp_granularities"] ?? []
        for g in granularities where g != "word" && g != "segment" {
            throw .invalid("'timestamp_granularities' values must be 'word' or 'segment'; got '\(g)'.", param: "timestamp_granularities")
        }
        let names = arrays["known_speaker_names"] ?? []
        guard names.count <= 4 else {
            throw .invalid("At most 4 'known_speaker_names' may be given.", param: "known_speaker_names")
        }
        return TranscriptionParameters(
            file: file, model: single["model"], language: single["language"].flatMap { $0.isEmpty ? nil : $0 },
            prompt: single["prompt"].flatMap { $0.isEmpty ? nil : $0 }, format: format, temperature: temperature,
            stream: stream, keywords: (arrays["keywords"] ?? []).filter { !$0.isEmpty }, knownSpeakerNames: names,
            timestampGranularities: granularities)
    }
}
