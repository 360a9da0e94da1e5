/// Errors of the audio layer.
public enum AudioError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No encoder for `format` can be made here; `reason` says what is missing (a library, an executable).
    case encoderUnavailable(format: AudioFormat, reason: String)

    /// A one-line description for logs and API error messages.
    public var description: String {
        switch self {
        case .encoderUnavailable(let format, let reason):
            "cannot encode \(format.rawValue): \(reason)"
        }
    }
}
