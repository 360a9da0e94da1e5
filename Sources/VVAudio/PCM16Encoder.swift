/// Raw PCM: signed 16-bit little-endian mono samples with no header (OpenAI's `pcm`).
public struct PCM16Encoder: StreamingAudioEncoder {
    /// Always `.pcm`.
    public let format = AudioFormat.pcm

    /// Creates a raw PCM encoder.
    public init() {}

    /// Returns the samples as s16le bytes.
    public mutating func encode(_ samples: [Float]) throws -> [UInt8] {
        var out: [UInt8] = []
        appendPCM16(samples, to: &out)
        return out
    }

    /// Raw PCM has no trailer.
    public mutating func finish() throws -> [UInt8] { [] }
}
