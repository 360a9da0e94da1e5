/// Makes the streaming encoder for a response format.
public enum AudioEncoders {
    /// The formats this build can encode right now (wav and pcm always; the others need a codec library).
    public static var availableFormats: [AudioFormat] {
        AudioFormat.allCases.filter { (try? make($0, sampleRate: 24_000)) != nil }
    }

    /// Returns a fresh encoder for `format` at `sampleRate`, or throws `AudioError.encoderUnavailable` naming what
    /// is missing. Never substitutes another format.
    public static func make(_ format: AudioFormat, sampleRate: Int) throws -> any StreamingAudioEncoder {
        switch format {
        case .wav: return WAVStreamEncoder(sampleRate: sampleRate)
        case .pcm: return PCM16Encoder()
        case .mp3, .opus, .aac, .flac:
            throw AudioError.encoderUnavailable(format: format, reason: "no encoder for \(format.rawValue) in this build")
        }
    }
}
