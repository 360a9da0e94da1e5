/// Turns float samples into the bytes of one audio format, a piece at a time, as they are produced.
///
/// Contract: samples are mono, at the `sampleRate` the encoder was made with, nominally in [-1, 1] (values outside
/// are clipped). `encode` returns the bytes that are ready to send now (possibly none); `finish` returns whatever
/// remains and must be called exactly once, after the last `encode`. Concatenating every returned byte array gives a
/// complete, valid stream of the format. An encoder is used by one task at a time.
public protocol StreamingAudioEncoder {
    /// The format this encoder writes.
    var format: AudioFormat { get }
    /// Encodes `samples`; returns bytes ready to be sent now.
    mutating func encode(_ samples: [Float]) throws -> [UInt8]
    /// Flushes the encoder; returns the final bytes of the stream.
    mutating func finish() throws -> [UInt8]
}

/// Converts a float sample to signed 16-bit PCM: clip to [-1, 1], scale by 32767, round to nearest.
@inline(__always)
func pcm16(_ x: Float) -> Int16 {
    let clipped = x.isNaN ? 0 : min(max(x, -1), 1)
    return Int16((clipped * 32767).rounded())
}

/// Appends `samples` as little-endian signed 16-bit PCM to `bytes`.
func appendPCM16(_ samples: [Float], to bytes: inout [UInt8]) {
    bytes.reserveCapacity(bytes.count + samples.count * 2)
    for s in samples {
        let v = UInt16(bitPattern: pcm16(s))
        bytes.append(UInt8(v & 0xFF))
        bytes.append(UInt8(v >> 8))
    }
}
