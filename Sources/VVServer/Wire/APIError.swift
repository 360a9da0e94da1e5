import Foundation

/// An error as the OpenAI API reports it: `{"error":{"message","type","param","code"}}` with an HTTP status.
///
/// Every failure the server answers is one of these (DESIGN "Serving"); `ErrorMapping` turns lower-layer errors
/// into them in one place.
public struct APIError: Error, Sendable, Equatable {
    /// HTTP status code.
    public var status: Int
    /// Human-readable, one line.
    public var message: String
    /// OpenAI error type (`invalid_request_error`, `server_error`, ...).
    public var type: String
    /// The request field at fault, or nil.
    public var param: String?
    /// Machine-readable code (`model_not_found`, `server_busy`, ...), or nil.
    public var code: String?
    /// Seconds for a `Retry-After` header (429/503).
    public var retryAfter: Int?

    /// Creates an error.
    public init(
        status: Int, message: String, type: String = "invalid_request_error", param: String? = nil, code: String? = nil,
        retryAfter: Int? = nil
    ) {
        self.status = status
        self.message = message
        self.type = type
        self.param = param
        self.code = code
        self.retryAfter = retryAfter
    }

    /// 400 for a bad field.
    public static func invalid(_ message: String, param: String?, code: String? = nil) -> APIError {
        APIError(status: 400, message: message, param: param, code: code)
    }

    /// The JSON body, with all four keys present (null where unset), as the OpenAI spec requires.
    public var jsonObject: [String: Any] {
        ["error": ["message": message, "type": type, "param": param as Any? ?? NSNull(), "code": code as Any? ?? NSNull()]]
    }

    /// The JSON body as bytes.
    public var jsonBytes: [UInt8] { JSONOutput.bytes(jsonObject) }

    /// The complete HTTP response.
    public var response: ServerResponse {
        var headers: HTTPHeaderFields = ["Content-Type": "application/json"]
        if let retryAfter { headers["Retry-After"] = String(retryAfter) }
        if status == 401 { headers["WWW-Authenticate"] = "Bearer" }
        return ServerResponse(status: status, headers: headers, body: .bytes(jsonBytes))
    }
}

/// JSON serialisation with stable key order.
enum JSONOutput {
    static func bytes(_ object: Any) -> [UInt8] {
        guard JSONSerialization.isValidJSONObject(object),
            let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        else { return Array("{}".utf8) }
        return [UInt8](data)
    }

    static func response(_ object: Any, status: Int = 200) -> ServerResponse {
        ServerResponse(status: status, headers: ["Content-Type": "application/json"], body: .bytes(bytes(object)))
    }
}
