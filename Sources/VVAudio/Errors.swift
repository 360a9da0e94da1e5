/// Errors of the audio layer.
public enum AudioError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No encoder for `format` can be made here; `reason` says what is missing (a library, an executable).
    case encoderUnavailable(format: AudioFormat, reason: String)
    /// The input is empty.
    case emptyInput
    /// The input is larger than `DecodeLimits.maxBytes` (`bytes` is its size).
    case inputTooLarge(bytes: Int, limit: Int)
    /// The decoded audio would be longer than `DecodeLimits.maxSeconds`; found while decoding, not after.
    case audioTooLong(limitSeconds: Double)
    /// The input was recognised as `format` but is damaged or malformed; `detail` says what is wrong.
    case malformedInput(format: String, detail: String)
    /// Nothing available here can decode `format`; `remedy` names what would (a library, an executable).
    case unsupportedInput(format: String, remedy: String)
    /// A decoder or encoder backend (`backend`: "libsndfile", "ffmpeg") failed; `detail` is its message.
    case backendFailed(backend: String, detail: String)
    /// The external `ffmpeg` run exceeded its time limit.
    case timedOut(backend: String, seconds: Double)
    /// A processing argument is out of range (`name`, with what is allowed).
    case invalidArgument(name: String, detail: String)

    /// A one-line description for logs and API error messages.
    public var description: String {
        switch self {
        case .encoderUnavailable(let format, let reason):
            "cannot encode \(format.rawValue): \(reason)"
        case .emptyInput:
            "the audio input is empty"
        case .inputTooLarge(let bytes, let limit):
            "the audio input is \(bytes) bytes, more than the limit of \(limit) bytes"
        case .audioTooLong(let limit):
            "the audio is longer than the limit of \(formatSeconds(limit)) seconds"
        case .malformedInput(let format, let detail):
            "the \(format) audio is malformed: \(detail)"
        case .unsupportedInput(let format, let remedy):
            "cannot decode \(format) audio: \(remedy)"
        case .backendFailed(let backend, let detail):
            "\(backend) failed: \(detail)"
        case .timedOut(let backend, let seconds):
            "\(backend) did not finish within \(formatSeconds(seconds)) seconds"
        case .invalidArgument(let name, let detail):
            "invalid \(name): \(detail)"
        }
    }

    /// The HTTP status an API should answer with: 413 too large, 415 unsupported format, 400 other client errors,
    /// 503 for a missing encoder back end, 504 for an ffmpeg timeout, 500 otherwise.
    public var suggestedHTTPStatus: Int {
        switch self {
        case .inputTooLarge: 413
        case .unsupportedInput: 415
        case .emptyInput, .audioTooLong, .malformedInput, .invalidArgument: 400
        case .encoderUnavailable: 503
        case .timedOut: 504
        case .backendFailed: 500
        }
    }

    /// Whether the error is the client's fault (bad or unsupported upload: HTTP 400/413/415) rather than the server's.
    public var isClientError: Bool {
        switch self {
        case .emptyInput, .inputTooLarge, .audioTooLong, .malformedInput, .unsupportedInput, .invalidArgument: true
        case .encoderUnavailable, .backendFailed, .timedOut: false
        }
    }
}

private func formatSeconds(_ s: Double) -> String {
    s == s.rounded() && abs(s) < 1e15 ? String(Int(s)) : String(s)
}
