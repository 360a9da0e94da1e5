/// Decodes an uploaded audio file to mono float samples at the model's rate, enforcing the duration limit while
/// decoding. The server calls it before queueing, so bad uploads never cost model time.
public protocol AudioUploadDecoder: Sendable {
    /// Decodes `bytes` (any container the build supports) to mono at `sampleRate`; throws `AudioUploadError`.
    func decode(_ bytes: [UInt8], filename: String?, contentType: String?, sampleRate: Int, maxSeconds: Double) async throws
        -> [Float]
}

/// Why an upload could not be used.
public enum AudioUploadError: Error, Sendable, Equatable {
    /// Nothing in this build decodes the file; `detected` names what it looks like, `hint` what would decode it.
    case unsupportedFormat(detected: String, hint: String)
    /// The audio is longer than `limit` seconds.
    case tooLong(limit: Double)
    /// The file is damaged or empty.
    case invalid(String)

    /// The OpenAI error to send.
    var apiError: APIError {
        switch self {
        case .unsupportedFormat(let detected, let hint):
            APIError(status: 415, message: "Cannot decode the uploaded audio (\(detected)): \(hint).", param: "file", code: "unsupported_audio_format")
        case .tooLong(let limit):
            APIError(status: 400, message: "The audio is longer than the limit of \(Int(limit)) seconds.", param: "file", code: "audio_too_long")
        case .invalid(let why):
            APIError(status: 400, message: "The uploaded audio is invalid: \(why).", param: "file", code: "invalid_audio")
        }
    }
}
