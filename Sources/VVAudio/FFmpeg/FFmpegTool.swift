import Foundation

/// An `ffmpeg` executable used for what libsndfile cannot do: decoding m4a/mp4/aac/webm/mpeg and encoding AAC.
///
/// It is run directly (never through a shell) with a time limit. Uploads reach it through a temporary file that is
/// removed whatever happens, because MP4 files need seeking and cannot be read from a pipe.
public struct FFmpegTool: Sendable, Equatable {
    /// Full path of the executable.
    public let path: String

    /// Uses the executable at `path` as is (checked when run).
    public init(path: String) {
        self.path = path
    }

    /// Finds ffmpeg: `configured` if given, else `VIBEVOICE_FFMPEG` or `FFMPEG_PATH`, else `ffmpeg` on `PATH`.
    public static func locate(configured: String? = nil) -> Result<FFmpegTool, AudioError> {
        let env = ProcessInfo.processInfo.environment
        if let p = configured ?? env["VIBEVOICE_FFMPEG"] ?? env["FFMPEG_PATH"], !p.isEmpty {
            return FileManager.default.isExecutableFile(atPath: p)
                ? .success(FFmpegTool(path: p))
                : .failure(.backendFailed(backend: "ffmpeg", detail: "\(p) is not an executable file"))
        }
        #if os(Windows)
            let (separator, name): (Character, String) = (";", "ffmpeg.exe")
        #else
            let (separator, name): (Character, String) = (":", "ffmpeg")
        #endif
        for dir in (env["PATH"] ?? env["Path"] ?? "").split(separator: separator) where !dir.isEmpty {
            let candidate = String(dir) + "/" + name
            if FileManager.default.isExecutableFile(atPath: candidate) { return .success(FFmpegTool(path: candidate)) }
        }
        return .failure(.backendFailed(backend: "ffmpeg", detail: "no ffmpeg on PATH and none configured"))
    }

    /// Decodes `bytes` with ffmpeg (first audio stream, 32-bit float WAV on stdout) into `sink`, enforcing the
    /// sink's limits while the output arrives and `limits.ffmpegTimeoutSeconds` on the whole run.
    func decode(_ bytes: UnsafeBufferPointer<UInt8>, format: InputFormat, into sink: SampleSink) throws {
        let tmp = FileManager.default.temporaryDirectory
            .appendingPathComponent("vibevoice-upload-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: tmp) }
        guard FileManager.default.createFile(atPath: tmp, contents: Data(buffer: bytes)) else {
            throw AudioError.backendFailed(backend: "ffmpeg", detail: "cannot write temporary file \(tmp)")
        }
        let args = [
            "-nostdin", "-hide_banner", "-loglevel", "error", "-i", tmp, "-map", "0:a:0", "-vn", "-sn", "-dn",
            "-c:a", "pcm_f32le", "-f", "wav", "-fflags", "+bitexact", "pipe:1",
        ]
        let run = try FFmpegProcess(
            tool: self, arguments: args, stdin: false, timeout: sink.limits.ffmpegTimeoutSeconds)
        defer { run.terminate() }
        let reader = StreamingWAVReader(format: format)
        do {
            while let chunk = run.readOutput() {
                try reader.feed(chunk, into: sink)
            }
        } catch {
            run.terminate()
            throw error
        }
        let status = run.wait()
        if run.timedOut { throw AudioError.timedOut(backend: "ffmpeg", seconds: sink.limits.ffmpegTimeoutSeconds) }
        if status != 0 || !sink.started {
            // ffmpeg names the temporary file; the user only needs to know it was their upload.
            let text = run.errorText.replacingOccurrences(of: tmp, with: "upload")
            let why = text.isEmpty ? "exit status \(status)" : text
            throw AudioError.unsupportedInput(format: format.displayName, remedy: "ffmpeg could not decode it: \(why)")
        }
    }
}
