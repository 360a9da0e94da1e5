/// 16-bit PCM WAV written as a stream: the 44-byte header goes out with the first bytes, before the length is known.
///
/// The RIFF and `data` sizes are written as 0xFFFFFFFF ("unknown length"), the convention of streaming writers that
/// ffmpeg, libsndfile, browsers and Python's `wave`/`soundfile` accept; readers take the data up to end of stream.
public struct WAVStreamEncoder: StreamingAudioEncoder {
    /// Always `.wav`.
    public let format = AudioFormat.wav
    /// Samples per second written into the header.
    public let sampleRate: Int
    /// Interleaved channels per frame (1 unless made for a multi-channel file).
    public let channels: Int
    private var headerSent = false

    /// Creates a streaming WAV encoder for mono audio at `sampleRate`.
    public init(sampleRate: Int) {
        self.init(sampleRate: sampleRate, channels: 1)
    }

    /// Creates a streaming WAV encoder for `channels` interleaved channels at `sampleRate`.
    public init(sampleRate: Int, channels: Int) {
        self.sampleRate = sampleRate
        self.channels = channels
    }

    /// Returns the header (first call only) followed by the samples as s16le.
    public mutating func encode(_ samples: [Float]) throws -> [UInt8] {
        var out = takeHeader()
        appendPCM16(samples, to: &out)
        return out
    }

    /// Returns the header if nothing was encoded, so an empty stream is still a valid WAV file.
    public mutating func finish() throws -> [UInt8] { takeHeader() }

    private mutating func takeHeader() -> [UInt8] {
        guard !headerSent else { return [] }
        headerSent = true
        return WAVHeader.pcm16(sampleRate: sampleRate, channels: channels, dataBytes: nil)
    }
}

/// Builds canonical 44-byte PCM WAV headers.
public enum WAVHeader {
    /// A 16-bit mono PCM header; `dataBytes == nil` writes the streaming "unknown length" sizes (0xFFFFFFFF).
    public static func pcm16Mono(sampleRate: Int, dataBytes: Int?) -> [UInt8] {
        pcm16(sampleRate: sampleRate, channels: 1, dataBytes: dataBytes)
    }

    /// A 16-bit PCM header for `channels` channels; `dataBytes == nil` writes the "unknown length" sizes.
    public static func pcm16(sampleRate: Int, channels: Int, dataBytes: Int?) -> [UInt8] {
        var h: [UInt8] = []
        h.reserveCapacity(44)
        func u32(_ v: UInt32) { for i in 0..<4 { h.append(UInt8((v >> (8 * UInt32(i))) & 0xFF)) } }
        func u16(_ v: UInt16) { h.append(UInt8(v & 0xFF)); h.append(UInt8(v >> 8)) }
        let unknown = UInt32.max
        h += Array("RIFF".utf8)
        u32(dataBytes.map { UInt32(clamping: 36 + $0) } ?? unknown)
        h += Array("WAVE".utf8)
        h += Array("fmt ".utf8)
        u32(16)
        u16(1)  // PCM
        u16(UInt16(channels))
        u32(UInt32(sampleRate))
        u32(UInt32(sampleRate * 2 * channels))  // byte rate
        u16(UInt16(2 * channels))  // block align
        u16(16)  // bits per sample
        h += Array("data".utf8)
        u32(dataBytes.map { UInt32(clamping: $0) } ?? unknown)
        return h
    }
}
