/// The production `AudioUploadDecoder`, backed by the audio layer.
public struct UploadDecoder: AudioUploadDecoder {
    /// ffmpeg executable for containers the native decoders lack (nil: search PATH).
    public let ffmpegPath: String?

    /// Creates the decoder.
    public init(ffmpegPath: String?) { self.ffmpegPath = ffmpegPath }

    /// Decodes an upload.
    public func decode(_ bytes: [UInt8], filename: String?, contentType: String?, sampleRate: Int, maxSeconds: Double) async throws
        -> [Float]
    {
        throw AudioUploadError.unsupportedFormat(detected: "unknown", hint: "audio decoding is not wired yet")
    }
}
