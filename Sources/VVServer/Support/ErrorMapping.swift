import VVAudio
import VVPipelines

/// Turns any error a handler throws into the OpenAI error to send. The one place that decides statuses.
enum ErrorMapping {
    static func apiError(for error: any Error) -> APIError {
        switch error {
        case let e as APIError:
            return e
        case HTTPBodyError.tooLarge(let limit):
            return APIError(
                status: 413, message: "The request body is larger than the limit of \(limit) bytes.", code: "request_too_large")
        case HTTPBodyError.truncated:
            return .invalid("The request body ended early.", param: nil, code: "truncated_body")
        case let e as MultipartError:
            if case .partTooLarge(let name, _, let isFile) = e {
                return APIError(status: 413, message: e.description.capitalizedFirst + ".", param: name, code: isFile ? "file_too_large" : "field_too_large")
            }
            return .invalid(e.description.capitalizedFirst + ".", param: nil, code: "invalid_multipart")
        case let e as ExecutorError:
            let what =
                switch e {
                case .queueFull(let model, _): "The \(model) queue is full"
                case .queueTimeout(let model, _): "The request waited too long in the \(model) queue"
                }
            return APIError(
                status: 503, message: "\(what); retry in \(e.retryAfterSeconds) s.", type: "server_error", code: "server_busy",
                retryAfter: e.retryAfterSeconds)
        case let e as VoiceResolutionError:
            switch e {
            case .notFound(let name, let available):
                return APIError(
                    status: 400, message: "Voice '\(name)' not found. Available: \(available.joined(separator: ", ")).",
                    param: "voice", code: "voice_not_found")
            case .noVoices:
                return APIError(status: 503, message: "The model has no voices installed.", type: "server_error", code: "no_voices")
            }
        case let e as AudioError:
            if case .encoderUnavailable = e {
                // A valid OpenAI format this installation cannot produce (a codec library is missing): the client
                // can ask for another one, so 400 rather than a 5xx the SDK would retry.
                return APIError(
                    status: 400, message: e.description.capitalizedFirst + ".", param: "response_format", code: "unsupported_response_format")
            }
            let status = e.suggestedHTTPStatus
            return APIError(
                status: status, message: e.description.capitalizedFirst + ".", type: status >= 500 ? "server_error" : "invalid_request_error",
                code: status >= 500 ? "audio_backend_error" : "invalid_audio")
        case is ClientDisconnected, is CancellationError:
            return APIError(status: 499, message: "The client closed the connection.", type: "client_closed", code: "client_closed")
        default:
            return APIError(status: 500, message: "Internal error: \(error)", type: "server_error", code: "server_error")
        }
    }
}

extension String {
    /// The string with its first character upper-cased.
    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
