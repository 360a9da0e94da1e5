import ArgumentParser
import Foundation
import VVAudio

/// `vibevoice bench audio`: decode + resample to 24 kHz mono of long 44.1 kHz stereo MP3 and 48 kHz WAV inputs,
/// timed against `ffmpeg -ar 24000 -ac 1` on the same files.
struct AudioBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audio",
        abstract: "Benchmark decode + resample to 24 kHz mono against ffmpeg (not a test).")

    @Option(help: "Length of the generated inputs in seconds.") var seconds: Int = 3600
    @Option(name: .customLong("ffmpeg"), help: "Path of the ffmpeg executable (default: VIBEVOICE_FFMPEG, then PATH).")
    var ffmpegPath: String?
    @Flag(help: "Print one JSON object instead of a table.") var json = false

    func validate() throws {
        guard seconds > 0, seconds <= 4 * 3600 else { throw ValidationError("--seconds must be 1...14400") }
    }

    struct Row {
        var input: String
        var seconds: Double
        var ours: Double
        var ffmpeg: Double?
        var outputSamples: Int
    }

    func run() async throws {
        let backends = AudioBackends.discover(ffmpegPath: ffmpegPath)
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vibevoice-bench-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        var rows: [Row] = []
        let ffmpeg = try? backends.ffmpeg.get()

        let wavPath = dir.appendingPathComponent("in48k.wav").path
        let wav = Self.syntheticWAV(seconds: seconds, rate: 48_000)
        guard FileManager.default.createFile(atPath: wavPath, contents: Data(wav)) else {
            throw AudioCommandError("cannot write \(wavPath)")
        }
        rows.append(try measure("wav 48 kHz stereo s16", path: wavPath, bytes: wav, backends: backends, ffmpeg: ffmpeg))
        // The resampler alone, on the decoded mono signal (no ffmpeg counterpart).
        let mono = try AudioDecoder.decode(bytes: wav, limits: .unlimited, backends: backends).mono()
        let t0 = Date()
        let resampled = try Resampler.resample(mono, from: 48_000, to: 24_000)
        rows.append(
            Row(
                input: "resample only 48k->24k", seconds: Double(seconds), ours: Date().timeIntervalSince(t0),
                ffmpeg: nil, outputSamples: resampled.count))

        if let ffmpeg {
            let mp3Path = dir.appendingPathComponent("in44k.mp3").path
            try Self.runTimed(
                ffmpeg.path,
                [
                    "-nostdin", "-loglevel", "error", "-f", "lavfi", "-i",
                    "sine=frequency=440:sample_rate=44100:duration=\(seconds)", "-f", "lavfi", "-i",
                    "anoisesrc=color=pink:sample_rate=44100:amplitude=0.1:duration=\(seconds)", "-filter_complex",
                    "[0:a][1:a]amerge=inputs=2[a]", "-map", "[a]", "-c:a", "libmp3lame", "-b:a", "128k", "-y", mp3Path,
                ])
            let mp3 = [UInt8](FileManager.default.contents(atPath: mp3Path) ?? Data())
            rows.append(
                try measure("mp3 44.1 kHz stereo 128k", path: mp3Path, bytes: mp3, backends: backends, ffmpeg: ffmpeg))
        }
        print(json ? jsonReport(rows, backends: backends) : table(rows, backends: backends))
    }

    private func measure(_ name: String, path: String, bytes: [UInt8], backends: AudioBackends, ffmpeg: FFmpegTool?)
        throws -> Row
    {
        let start = Date()
        let out = try AudioDecoder.prepareForModel(
            bytes: bytes, limits: .unlimited, backends: backends, normalize: false)
        let ours = Date().timeIntervalSince(start)
        var theirs: Double?
        if let ffmpeg {
            theirs = try Self.runTimed(
                ffmpeg.path,
                [
                    "-nostdin", "-loglevel", "error", "-i", path, "-ar", "24000", "-ac", "1", "-f", "f32le", "-y",
                    Self.nullDevice,
                ])
        }
        return Row(input: name, seconds: Double(seconds), ours: ours, ffmpeg: theirs, outputSamples: out.count)
    }

    private func table(_ rows: [Row], backends: AudioBackends) -> String {
        var lines = ["decode + resample to 24 kHz mono (\(backends.summary))"]
        func pad(_ s: String, _ n: Int) -> String { s.count >= n ? s : s + String(repeating: " ", count: n - s.count) }
        lines.append(
            pad("input", 26) + pad("audio s", 9) + pad("ours s", 9) + pad("ffmpeg s", 10) + pad("ours/ffmpeg", 13)
                + "x realtime")
        for r in rows {
            let ff = r.ffmpeg.map { String(format: "%.2f", $0) } ?? "n/a"
            let ratio = r.ffmpeg.map { String(format: "%.2f", r.ours / $0) } ?? "n/a"
            lines.append(
                pad(r.input, 26) + pad(String(format: "%.0f", r.seconds), 9) + pad(String(format: "%.2f", r.ours), 9)
                    + pad(ff, 10) + pad(ratio, 13) + String(format: "%.0f", r.seconds / r.ours))
        }
        return lines.joined(separator: "\n")
    }

    private func jsonReport(_ rows: [Row], backends: AudioBackends) -> String {
        let items = rows.map { r in
            "{\"input\":\(AudioCommand.jsonString(r.input)),\"audio_seconds\":\(r.seconds),"
                + "\"ours_seconds\":\(String(format: "%.4f", r.ours)),"
                + "\"ffmpeg_seconds\":\(r.ffmpeg.map { String(format: "%.4f", $0) } ?? "null"),"
                + "\"ratio_ours_over_ffmpeg\":\(r.ffmpeg.map { String(format: "%.4f", r.ours / $0) } ?? "null"),"
                + "\"output_samples\":\(r.outputSamples)}"
        }
        return "{\"bench\":\"audio\",\"backends\":\(AudioCommand.jsonString(backends.summary)),\"results\":["
            + items.joined(separator: ",") + "]}"
    }

    #if os(Windows)
        static let nullDevice = "NUL"
    #else
        static let nullDevice = "/dev/null"
    #endif

    /// Runs an executable (no shell) and returns its wall time; throws on a non-zero exit.
    @discardableResult
    static func runTimed(_ path: String, _ args: [String]) throws -> Double {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: path)
        p.arguments = args
        p.standardInput = FileHandle.nullDevice
        let start = Date()
        try p.run()
        p.waitUntilExit()
        guard p.terminationStatus == 0 else { throw AudioCommandError("\(path) exited with \(p.terminationStatus)") }
        return Date().timeIntervalSince(start)
    }

    /// A 16-bit stereo WAV of two detuned tones plus a little deterministic noise.
    static func syntheticWAV(seconds: Int, rate: Int) -> [UInt8] {
        let frames = seconds * rate
        var bytes = WAVHeader.pcm16(sampleRate: rate, channels: 2, dataBytes: frames * 4)
        bytes.reserveCapacity(bytes.count + frames * 4)
        var seed: UInt32 = 1
        let w1 = 2 * Double.pi * 220 / Double(rate), w2 = 2 * Double.pi * 331 / Double(rate)
        for i in 0..<frames {
            seed = seed &* 1_664_525 &+ 1_013_904_223
            let noise = Double(Int32(bitPattern: seed)) / 2_147_483_648 * 0.05
            let l = Int16(max(-32767, min(32767, (0.4 * sin(w1 * Double(i)) + noise) * 32767)))
            let r = Int16(max(-32767, min(32767, (0.4 * sin(w2 * Double(i)) - noise) * 32767)))
            for v in [l, r] {
                let u = UInt16(bitPattern: v)
                bytes.append(UInt8(u & 0xFF))
                bytes.append(UInt8(u >> 8))
            }
        }
        return bytes
    }
}
