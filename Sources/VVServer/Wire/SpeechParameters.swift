import Foundation
import VVAudio

/// The fields of `POST /v1/audio/speech`, validated (research/api.md §1.2 and §4.1). Unknown fields are ignored.
struct SpeechParameters: Sendable, Equatable {
    var model: String?
    var input: String
    var voice: String?
    var format: AudioFormat
    var speed: Double
    var streamFormat: StreamFormat
    var cfgScale: Double?
    var inferenceSteps: Int?
    var seed: UInt64?

    enum StreamFormat: String, Sendable { case audio, sse }

    /// Parses and checks `bytes`; every problem is a 400 naming the field.
    static func parse(_ bytes: [UInt8], configuration: ServerConfiguration) throws(APIError) -> SpeechParameters {
        let root: JSONValue
        do {
            root = try JSONValue.parse(bytes)
        } catch {
            throw .invalid("The request body is not valid JSON.", param: nil, code: "invalid_json")
        }
        guard case .object(let fields) = root else {
            throw .invalid("The request body must be a JSON object.", param: nil, code: "invalid_json")
        }
        let reader = FieldReader(fields: fields)
        let model = try reader.string("model", required: false)
        guard let input = try reader.string("input", required: true) else {
            throw .invalid("'input' is required.", param: "input")
        }
        if input.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw .invalid("'input' must not be empty.", param: "input")
        }
        let maxChars = configuration.audio.maxInputChars
        if input.count > maxChars {
            throw .invalid(
                "'input' is \(input.count) characters; the limit is \(maxChars).", param: "input", code: "string_above_max_length")
        }
        let voice = try reader.voice()
        if let instructions = try reader.string("instructions", required: false), instructions.count > 4096 {
            throw .invalid("'instructions' is longer than 4096 characters.", param: "instructions", code: "string_above_max_length")
        }
        let formatName = try reader.string("response_format", required: false) ?? configuration.audio.defaultResponseFormat
        guard let format = AudioFormat(rawValue: formatName.lowercased()) else {
            throw .invalid(
                "'response_format' must be one of mp3, opus, aac, flac, wav, pcm; got '\(formatName)'.", param: "response_format")
        }
        let speed = try reader.number("speed", in: 0.25...4.0) ?? 1.0
        let streamName = try reader.string("stream_format", required: false) ?? "audio"
        guard let streamFormat = StreamFormat(rawValue: streamName.lowercased()) else {
            throw .invalid("'stream_format' must be 'audio' or 'sse'; got '\(streamName)'.", param: "stream_format")
        }
        let cfgScale = try reader.number("cfg_scale", in: 0...20)
        let steps = try reader.integer("inference_steps", in: 1...100)
        let seed = try reader.integer("seed", in: 0...Int(Int32.max)).map(UInt64.init)
        return SpeechParameters(
            model: model, input: input, voice: voice, format: format, speed: speed, streamFormat: streamFormat,
            cfgScale: cfgScale, inferenceSteps: steps, seed: seed)
    }
}

/// Reads typed fields from a JSON object, with OpenAI-shaped errors naming the field.
struct FieldReader {
    let fields: [String: JSONValue]

    func string(_ name: String, required: Bool) throws(APIError) -> String? {
        switch fields[name] {
        case nil, .null?:
            if required { throw .invalid("'\(name)' is required.", param: name) }
            return nil
        case .string(let s)?: return s
        case let other?: throw .invalid("'\(name)' must be a string, not \(other.typeName).", param: name)
        }
    }

    func number(_ name: String, in range: ClosedRange<Double>) throws(APIError) -> Double? {
        switch fields[name] {
        case nil, .null?: return nil
        case .number(let d)?:
            guard range.contains(d) else {
                throw .invalid("'\(name)' must be between \(range.lowerBound) and \(range.upperBound); got \(d).", param: name)
            }
            return d
        case let other?: throw .invalid("'\(name)' must be a number, not \(other.typeName).", param: name)
        }
    }

    func integer(_ name: String, in range: ClosedRange<Int>) throws(APIError) -> Int? {
        guard let d = try number(name, in: Double(range.lowerBound)...Double(range.upperBound)) else { return nil }
        guard d.rounded() == d else { throw .invalid("'\(name)' must be an integer; got \(d).", param: name) }
        return Int(d)
    }

    /// `voice` as a string or `{"id": "..."}` (the custom-voice form).
    func voice() throws(APIError) -> String? {
        switch fields["voice"] {
        case nil, .null?: return nil
        case .string(let s)?: return s
        case .object(let o)?:
            guard case .string(let id)? = o["id"] else {
                throw .invalid("'voice' as an object must have a string 'id'.", param: "voice")
            }
            return id
        case let other?: throw .invalid("'voice' must be a string or an object with an id, not \(other.typeName).", param: "voice")
        }
    }
}
