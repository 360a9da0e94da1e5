/// 16-bit PCM WAV with exact RIFF/data sizes: samples are held until `finish`, which returns the whole file.
///
/// For whole-file responses and files on disk; `WAVStreamEncoder` is the variant that sends bytes at once.
public struct WAVFileEncoder: StreamingAudioEncoder {
    /// Always `.wav`.
    public let format = AudioFormat.wav
    /// Samples per second written into the header.
    public let sampleRate: Int
    /// Interleaved channels per frame.
    public let channels: Int
    private var data: [UInt8] = []

    /// Creates an encoder for `channels` interleaved channels at `sampleRate`.
    public init(sampleRate: Int, channels: Int = 1) {
        self.sampleRate = sampleRate
        self.channels = channels
    }

    /// Buffers `samples`; returns nothing until `finish`.
    public mutating func encode(_ samples: [Float]) throws -> [UInt8] {
        appendPCM16(samples, to: &data)
        return []
    }

    /// Returns the complete file: header with the final sizes, then the samples.
    public mutating func finish() throws -> [UInt8] {
        let out = WAVHeader.pcm16(sampleRate: sampleRate, channels: channels, dataBytes: data.count) + data
        data = []
        return out
    }
}
