/// Down-mixes interleaved audio to mono by averaging the channels (what `ffmpeg -ac 1` does for stereo).
public enum ChannelMixer {
    /// Returns the per-frame mean of `interleaved` audio with `channels` channels.
    public static func downmix(_ interleaved: [Float], channels: Int) -> [Float] {
        if channels <= 1 { return interleaved }
        return interleaved.withUnsafeBufferPointer { src in
            [Float](unsafeUninitializedCapacity: src.count / channels) { out, count in
                downmix(src, channels: channels, into: out.baseAddress.map { UnsafeMutablePointer($0) })
                count = src.count / channels
            }
        }
    }

    /// Writes the per-frame mean of `src` (`channels` interleaved) to `out`, which holds `src.count / channels`.
    static func downmix(_ src: UnsafeBufferPointer<Float>, channels: Int, into out: UnsafeMutablePointer<Float>?) {
        guard let out, let s = src.baseAddress else { return }
        let frames = src.count / channels
        if channels == 2 {
            for i in 0..<frames { out[i] = (s[2 * i] + s[2 * i + 1]) * 0.5 }
            return
        }
        let scale = 1 / Float(channels)
        for i in 0..<frames {
            var acc: Float = 0
            for c in 0..<channels { acc += s[i * channels + c] }
            out[i] = acc * scale
        }
    }
}
