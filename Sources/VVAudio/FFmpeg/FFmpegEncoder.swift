/// A streaming AAC (ADTS) encoder that pipes float samples through an `ffmpeg` process.
///
/// `encode` writes the samples to ffmpeg's stdin and returns whatever ADTS frames ffmpeg has written so far (its
/// output is collected on a background thread); `finish` closes stdin and returns the rest. Dropping the encoder
/// unfinished ends the process.
public struct FFmpegEncoder: StreamingAudioEncoder {
    /// Always `.aac` today (the only format routed to ffmpeg).
    public let format: AudioFormat
    /// Samples per second.
    public let sampleRate: Int
    /// Interleaved channels per frame.
    public let channels: Int
    private let process: FFmpegProcess
    private let timeoutSeconds: Double
    private var finished = false

    /// Starts ffmpeg for `format` (only `.aac`, ADTS framing, AAC-LC at `bitrate` bits/s).
    public init(
        tool: FFmpegTool, format: AudioFormat = .aac, sampleRate: Int, channels: Int = 1, bitrate: Int = 96_000,
        timeoutSeconds: Double = 3600
    ) throws {
        guard format == .aac else {
            throw AudioError.encoderUnavailable(format: format, reason: "the ffmpeg encoder only writes aac")
        }
        self.format = format
        self.sampleRate = sampleRate
        self.channels = channels
        self.timeoutSeconds = timeoutSeconds
        let args = [
            "-nostdin", "-hide_banner", "-loglevel", "error", "-fflags", "+nobuffer", "-probesize", "32",
            "-analyzeduration", "0", "-f", "f32le", "-ar", String(sampleRate), "-ac",
            String(channels), "-i", "pipe:0", "-c:a", "aac", "-b:a", String(bitrate), "-flush_packets", "1", "-f",
            "adts", "pipe:1",
        ]
        do {
            process = try FFmpegProcess(tool: tool, arguments: args, stdin: true, timeout: timeoutSeconds)
        } catch {
            throw AudioError.encoderUnavailable(format: format, reason: "\(error)")
        }
        process.startCollecting()
    }

    /// Sends `samples` to ffmpeg; returns the ADTS bytes it has produced so far.
    public mutating func encode(_ samples: [Float]) throws -> [UInt8] {
        guard !finished else { throw AudioError.backendFailed(backend: "ffmpeg", detail: "encoder already finished") }
        var bytes = [UInt8]()
        bytes.reserveCapacity(samples.count * 4)
        for s in samples {
            let v = s.isNaN ? 0 : min(max(s, -1), 1)
            let bits = v.bitPattern
            bytes += [UInt8(bits & 0xFF), UInt8((bits >> 8) & 0xFF), UInt8((bits >> 16) & 0xFF), UInt8(bits >> 24)]
        }
        try process.write(bytes)
        return process.takeCollected()
    }

    /// Closes ffmpeg's input, waits for it to finish and returns the last bytes.
    public mutating func finish() throws -> [UInt8] {
        guard !finished else { return [] }
        finished = true
        process.closeInput()
        let status = process.wait()
        if process.timedOut { throw AudioError.timedOut(backend: "ffmpeg", seconds: timeoutSeconds) }
        guard status == 0 else {
            throw AudioError.backendFailed(backend: "ffmpeg", detail: "aac encoding failed: \(process.errorText)")
        }
        return process.takeCollected()
    }
}
