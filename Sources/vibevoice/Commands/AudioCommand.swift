import ArgumentParser
import Foundation
import VVAudio

/// `vibevoice audio`: inspect and convert audio files with the server's own audio layer.
struct AudioCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audio", abstract: "Inspect and convert audio files with vibevoice's audio layer.",
        subcommands: [Info.self, Convert.self])

    /// Options shared by the subcommands.
    struct BackendOptions: ParsableArguments {
        @Option(
            name: .customLong("ffmpeg"), help: "Path of the ffmpeg executable (default: VIBEVOICE_FFMPEG, then PATH).")
        var ffmpegPath: String?

        @Option(help: "Refuse audio longer than this many seconds.")
        var maxSeconds: Double = 86_400

        func backends() -> AudioBackends { AudioBackends.discover(ffmpegPath: ffmpegPath) }

        func limits() -> DecodeLimits {
            DecodeLimits(maxBytes: .max, maxSeconds: maxSeconds, ffmpegTimeoutSeconds: 3600)
        }
    }

    /// `vibevoice audio info FILE [--json]`.
    struct Info: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print an audio file's format, sample rate, channels, duration and the decoder that read it.")

        @Argument(help: "The audio file.") var file: String
        @Flag(help: "Print one JSON object.") var json = false
        @OptionGroup var options: BackendOptions

        func run() async throws {
            let bytes = try AudioCommand.read(file)
            let backends = options.backends()
            let audio = try AudioDecoder.decode(bytes: bytes, limits: options.limits(), backends: backends)
            let fields: [(String, String)] = [
                ("file", file), ("format", audio.format.rawValue), ("sample_rate", String(audio.sampleRate)),
                ("channels", String(audio.channels)), ("frames", String(audio.frameCount)),
                ("duration_s", String(format: "%.3f", audio.duration)), ("decoder", audio.decoder.rawValue),
                ("bytes", String(bytes.count)),
            ]
            if json {
                let numeric: Set<String> = ["sample_rate", "channels", "frames", "duration_s", "bytes"]
                let body = fields.map { k, v in "\"\(k)\":" + (numeric.contains(k) ? v : AudioCommand.jsonString(v)) }
                print("{" + body.joined(separator: ",") + "}")
            } else {
                for (k, v) in fields { print(k.padding(toLength: 12, withPad: " ", startingAt: 0) + v) }
            }
        }
    }

    /// `vibevoice audio convert IN OUT [--rate HZ] [--mono] [--normalize]`.
    struct Convert: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Convert IN to OUT; the output format comes from OUT's extension (wav pcm flac mp3 opus aac).")

        @Argument(help: "Input audio file (any format the audio layer decodes).") var input: String
        @Argument(help: "Output file; its extension picks the format.") var output: String
        @Option(help: "Output sample rate in Hz (default: the input's).") var rate: Int?
        @Flag(help: "Down-mix to mono.") var mono = false
        @Flag(help: "Normalise to -25 dBFS as the VibeVoice processors do.") var normalize = false
        @OptionGroup var options: BackendOptions

        func validate() throws {
            let ext = URL(fileURLWithPath: output).pathExtension.lowercased()
            guard AudioFormat(rawValue: ext) != nil else {
                throw ValidationError("unknown output extension '.\(ext)'; use one of wav pcm flac mp3 opus aac")
            }
            if let rate, rate <= 0 || rate > 768_000 { throw ValidationError("--rate must be between 1 and 768000") }
        }

        func run() async throws {
            let format = AudioFormat(rawValue: URL(fileURLWithPath: output).pathExtension.lowercased()) ?? .wav
            let backends = options.backends()
            let audio = try AudioDecoder.decode(
                bytes: try AudioCommand.read(input), limits: options.limits(), backends: backends)
            var channels = audio.channels
            var samples = audio.samples
            if mono || format == .pcm {
                samples = audio.mono()
                channels = 1
            }
            let outRate = rate ?? audio.sampleRate
            if outRate != audio.sampleRate {
                samples = try AudioCommand.resample(samples, channels: channels, from: audio.sampleRate, to: outRate)
            }
            if normalize { LoudnessNormalizer.normalize(&samples) }
            var encoder = try AudioEncoders.make(
                format, sampleRate: outRate, channels: channels, backends: backends, streaming: false)
            var bytes = try encoder.encode(samples)
            bytes += try encoder.finish()
            guard FileManager.default.createFile(atPath: output, contents: Data(bytes)) else {
                throw AudioCommandError("cannot write \(output)")
            }
            let seconds = Double(samples.count / channels) / Double(outRate)
            print(
                "\(output): \(format.rawValue), \(outRate) Hz, \(channels) ch, \(String(format: "%.3f", seconds)) s, \(bytes.count) bytes"
            )
        }
    }

    static func read(_ path: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw AudioCommandError("cannot read \(path)")
        }
        return [UInt8](data)
    }

    static func resample(_ x: [Float], channels: Int, from: Int, to: Int) throws -> [Float] {
        if channels == 1 { return try Resampler.resample(x, from: from, to: to) }
        let frames = x.count / channels
        var out: [Float] = []
        for c in 0..<channels {
            let plane = (0..<frames).map { x[$0 * channels + c] }
            let r = try Resampler.resample(plane, from: from, to: to)
            if out.isEmpty { out = [Float](repeating: 0, count: r.count * channels) }
            for (i, v) in r.enumerated() { out[i * channels + c] = v }
        }
        return out
    }

    static func jsonString(_ s: String) -> String {
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case _ where u.value < 0x20: out += String(format: "\\u%04x", u.value)
            default: out.unicodeScalars.append(u)
            }
        }
        return out + "\""
    }
}

/// A command failure with a one-line message.
struct AudioCommandError: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = message }
}
