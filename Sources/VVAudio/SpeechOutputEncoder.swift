/// The chain from the model's 24 kHz samples to the response bytes: `speed` time-stretch, then the format's encoder.
///
/// Make it before synthesis starts, so a missing encoder fails the request early.
public struct SpeechOutputEncoder: StreamingAudioEncoder {
    /// The response format.
    public var format: AudioFormat { encoder.format }
    /// The response's `Content-Type`.
    public var contentType: String { format.contentType }
    /// The `speed` applied (1 = none).
    public let speed: Double
    private var stretcher: TimeStretcher?
    private var encoder: any StreamingAudioEncoder

    /// Creates the chain for `format` at `sampleRate` and `speed` (0.25–4.0); throws `encoderUnavailable` or
    /// `invalidArgument` before any audio exists.
    public init(
        format: AudioFormat, sampleRate: Int = 24_000, speed: Double = 1, streaming: Bool = true,
        backends: AudioBackends = .system
    ) throws {
        self.speed = speed
        stretcher = speed == 1 ? nil : try TimeStretcher(speed: speed, sampleRate: sampleRate)
        encoder = try AudioEncoders.make(
            format, sampleRate: sampleRate, channels: 1, backends: backends, streaming: streaming)
    }

    /// Takes the next model samples; returns the bytes ready to send.
    public mutating func encode(_ samples: [Float]) throws -> [UInt8] {
        let out = stretcher?.process(samples) ?? samples
        return try encoder.encode(out)
    }

    /// Flushes the stretcher and the encoder; returns the last bytes.
    public mutating func finish() throws -> [UInt8] {
        var bytes: [UInt8] = []
        if let tail = stretcher?.flush(), !tail.isEmpty { bytes = try encoder.encode(tail) }
        return bytes + (try encoder.finish())
    }
}
