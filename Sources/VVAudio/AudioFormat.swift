/// An audio container/codec a client can ask for (`response_format` of `POST /v1/audio/speech`).
///
/// The raw values are OpenAI's names. Every format carries 24 kHz mono audio unless an encoder says otherwise.
public enum AudioFormat: String, CaseIterable, Sendable, Codable {
    case mp3, opus, aac, flac, wav, pcm

    /// The `Content-Type` a response in this format carries (the predecessor's table, see research/api.md §2.2).
    public var contentType: String {
        switch self {
        case .mp3: "audio/mpeg"
        case .opus: "audio/opus"
        case .aac: "audio/aac"
        case .flac: "audio/flac"
        case .wav: "audio/wav"
        case .pcm: "audio/pcm"
        }
    }

    /// The file name extension for a download in this format.
    public var fileExtension: String { rawValue }
}
