/// Makes the streaming encoder for a response format.
public enum AudioEncoders {
    /// The formats this build can encode right now (wav and pcm always; the others need a codec library).
    public static var availableFormats: [AudioFormat] {
        availableFormats(backends: .system)
    }

    /// The formats encodable with `backends`.
    public static func availableFormats(backends: AudioBackends) -> [AudioFormat] {
        AudioFormat.allCases.filter { unavailableReason($0, backends: backends) == nil }
    }

    /// Returns a fresh mono encoder for `format` at `sampleRate` (streaming, with the system back ends).
    ///
    /// Throws `AudioError.encoderUnavailable` naming what is missing. Never substitutes another format.
    public static func make(_ format: AudioFormat, sampleRate: Int) throws -> any StreamingAudioEncoder {
        try make(format, sampleRate: sampleRate, channels: 1, backends: .system)
    }

    /// Returns a fresh encoder for `format` with `channels` interleaved channels, using `backends`.
    ///
    /// wav and pcm are written in Swift; flac, mp3 and opus (Ogg) need libsndfile; aac (ADTS) needs ffmpeg.
    /// `pcm` is mono only (OpenAI's definition). With `streaming` false, wav/flac/mp3 bytes are held until `finish` so
    /// their headers carry the final length (use it for whole-file responses and files).
    public static func make(
        _ format: AudioFormat, sampleRate: Int, channels: Int, backends: AudioBackends, streaming: Bool = true
    ) throws -> any StreamingAudioEncoder {
        guard sampleRate > 0, sampleRate <= 768_000 else {
            throw AudioError.encoderUnavailable(format: format, reason: "sample rate \(sampleRate) Hz is out of range")
        }
        guard channels >= 1, channels <= 8 else {
            throw AudioError.encoderUnavailable(format: format, reason: "\(channels) channels is out of range")
        }
        switch format {
        case .wav:
            if !streaming { return WAVFileEncoder(sampleRate: sampleRate, channels: channels) }
            return WAVStreamEncoder(sampleRate: sampleRate, channels: channels)
        case .pcm:
            guard channels == 1 else { throw AudioError.encoderUnavailable(format: format, reason: "pcm is mono only") }
            return PCM16Encoder()
        case .mp3, .opus, .flac:
            switch backends.sndfile {
            case .success(let lib):
                return try SndFileEncoder(
                    library: lib, format: format, sampleRate: sampleRate, channels: channels, streaming: streaming)
            case .failure(let why):
                throw AudioError.encoderUnavailable(
                    format: format, reason: "needs libsndfile, which is missing: \(why)")
            }
        case .aac:
            switch backends.ffmpeg {
            case .success(let tool):
                return try FFmpegEncoder(tool: tool, format: .aac, sampleRate: sampleRate, channels: channels)
            case .failure(let why):
                throw AudioError.encoderUnavailable(format: format, reason: "needs ffmpeg, which is missing: \(why)")
            }
        }
    }

    /// Why `format` cannot be encoded with `backends`, or nil when it can (cheap: starts no process).
    public static func unavailableReason(_ format: AudioFormat, backends: AudioBackends = .system) -> String? {
        switch format {
        case .wav, .pcm: return nil
        case .mp3, .opus, .flac:
            if case .failure(let why) = backends.sndfile { return "needs libsndfile, which is missing: \(why)" }
            return nil
        case .aac:
            if case .failure(let why) = backends.ffmpeg { return "needs ffmpeg, which is missing: \(why)" }
            return nil
        }
    }
}
