import VVAudio

/// The production `AudioUploadDecoder`: the audio layer's decoders (native WAV, libsndfile, ffmpeg), down-mixed,
/// resampled to the model rate and loudness-normalised as the reference ASR processor does (−25 dBFS).
public struct UploadDecoder: AudioUploadDecoder {
    private let backends: AudioBackends

    /// Creates the decoder; `ffmpegPath` nil searches `FFMPEG_PATH`/`PATH`.
    public init(ffmpegPath: String?) {
        backends = ffmpegPath == nil ? .system : .discover(ffmpegPath: ffmpegPath)
    }

    /// Decodes an upload, enforcing `maxSeconds` while decoding.
    public func decode(_ bytes: [UInt8], filename: String?, contentType: String?, sampleRate: Int, maxSeconds: Double) async throws
        -> [Float]
    {
        let backends = self.backends
        let limits = DecodeLimits(maxBytes: Int.max, maxSeconds: maxSeconds)
        do {
            return try await Task.detached {
                try AudioDecoder.prepareForModel(bytes: bytes, limits: limits, backends: backends, normalize: true, sampleRate: sampleRate)
            }.value
        } catch let error as AudioError {
            switch error {
            case .audioTooLong(let limit): throw AudioUploadError.tooLong(limit: limit)
            case .unsupportedInput(let format, let remedy): throw AudioUploadError.unsupportedFormat(detected: format, hint: remedy)
            case .emptyInput, .malformedInput, .inputTooLarge, .invalidArgument: throw AudioUploadError.invalid(error.description)
            case .backendFailed, .timedOut, .encoderUnavailable: throw error
            }
        }
    }

    /// A one-line description of the codec back ends found (for the startup log).
    public var backendSummary: String { backends.summary }
}
