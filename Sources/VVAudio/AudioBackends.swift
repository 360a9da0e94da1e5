/// The optional codec back ends this process can use: libsndfile (loaded at run time) and an `ffmpeg` executable.
///
/// Each is a `Result`, so a missing one carries the reason, which decode and encode errors repeat to the user.
public struct AudioBackends: Sendable {
    /// libsndfile, or why it is not available.
    public var sndfile: Result<SndFileLibrary, AudioError>
    /// ffmpeg, or why it is not available.
    public var ffmpeg: Result<FFmpegTool, AudioError>

    /// Creates a set of back ends from explicit values.
    public init(sndfile: Result<SndFileLibrary, AudioError>, ffmpeg: Result<FFmpegTool, AudioError>) {
        self.sndfile = sndfile
        self.ffmpeg = ffmpeg
    }

    /// Looks for libsndfile under `libsndfileCandidates` and for ffmpeg at `ffmpegPath` (else env/PATH).
    public static func discover(
        libsndfileCandidates: [String] = SndFileLibrary.defaultCandidates, ffmpegPath: String? = nil
    ) -> AudioBackends {
        AudioBackends(
            sndfile: SndFileLibrary.load(candidates: libsndfileCandidates),
            ffmpeg: FFmpegTool.locate(configured: ffmpegPath))
    }

    /// The back ends found on this machine the first time this is read (process-wide).
    public static let system = discover()

    /// Neither back end: only the native WAV decoder and the wav/pcm encoders work (for tests and strict setups).
    public static let nativeOnly = AudioBackends(
        sndfile: .failure(.backendFailed(backend: "libsndfile", detail: "disabled")),
        ffmpeg: .failure(.backendFailed(backend: "ffmpeg", detail: "disabled")))

    /// A one-line summary such as `libsndfile-1.2.0 (libsndfile.so.1); ffmpeg /usr/bin/ffmpeg`.
    public var summary: String {
        let s: String
        switch sndfile {
        case .success(let lib): s = "\(lib.version) (\(lib.path))"
        case .failure(let e): s = "libsndfile unavailable: \(e)"
        }
        let f: String
        switch ffmpeg {
        case .success(let tool): f = "ffmpeg \(tool.path)"
        case .failure(let e): f = "ffmpeg unavailable: \(e)"
        }
        return s + "; " + f
    }
}
