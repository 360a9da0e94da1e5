/// Decoded audio: interleaved float samples in [-1, 1] at the source rate and channel count.
public struct DecodedAudio: Sendable, Equatable {
    /// Interleaved samples, `frameCount * channels` of them.
    public var samples: [Float]
    /// Frames per second.
    public var sampleRate: Int
    /// Channels per frame.
    public var channels: Int
    /// The container/codec recognised from the bytes.
    public var format: InputFormat
    /// The implementation that decoded it.
    public var decoder: DecoderBackend

    /// Creates decoded audio from interleaved samples.
    public init(samples: [Float], sampleRate: Int, channels: Int, format: InputFormat, decoder: DecoderBackend) {
        self.samples = samples
        self.sampleRate = sampleRate
        self.channels = channels
        self.format = format
        self.decoder = decoder
    }

    /// Number of frames (samples per channel).
    public var frameCount: Int { channels > 0 ? samples.count / channels : 0 }

    /// Duration in seconds.
    public var duration: Double { sampleRate > 0 ? Double(frameCount) / Double(sampleRate) : 0 }

    /// The channels averaged into one (`(L + R) / 2` for stereo); the samples themselves when already mono.
    public func mono() -> [Float] {
        ChannelMixer.downmix(samples, channels: channels)
    }
}
