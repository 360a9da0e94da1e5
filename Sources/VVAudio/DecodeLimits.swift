/// Bounds on what a decode may consume and produce; checked while decoding, before the memory is spent.
public struct DecodeLimits: Sendable, Equatable {
    /// Largest accepted input, in bytes.
    public var maxBytes: Int
    /// Longest accepted audio, in seconds of decoded sound.
    public var maxSeconds: Double
    /// Wall-clock limit for one external `ffmpeg` run, in seconds.
    public var ffmpegTimeoutSeconds: Double

    /// Creates limits; the defaults are 512 MiB, 3600 s (the ASR model's limit) and 300 s for ffmpeg.
    public init(maxBytes: Int = 512 << 20, maxSeconds: Double = 3600, ffmpegTimeoutSeconds: Double = 300) {
        self.maxBytes = maxBytes
        self.maxSeconds = maxSeconds
        self.ffmpegTimeoutSeconds = ffmpegTimeoutSeconds
    }

    /// No practical bound (for tools and benchmarks).
    public static let unlimited = DecodeLimits(maxBytes: .max, maxSeconds: .infinity, ffmpegTimeoutSeconds: 86_400)
}
