/// A response as route handlers build it: a status, header fields and a body that is either ready bytes or a
/// producer that streams (chunked transfer encoding).
public struct ServerResponse: Sendable {
    /// The body of a response.
    public enum Body: Sendable {
        /// A complete body, sent with `Content-Length`.
        case bytes([UInt8])
        /// A streamed body: the closure writes pieces as they are made; when it returns the body ends; when it throws
        /// the connection is closed without the chunked terminator, so the client sees an incomplete response rather
        /// than a silently truncated one. Writes throw `ClientDisconnected` once the client has gone.
        case stream(@Sendable (any ResponseBodyWriter) async throws -> Void)
    }

    /// HTTP status code.
    public var status: Int
    /// Header fields.
    public var headers: HTTPHeaderFields
    /// The body.
    public var body: Body

    /// Creates a response.
    public init(status: Int, headers: HTTPHeaderFields = [:], body: Body = .bytes([])) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A response with a UTF-8 text body.
    public static func text(_ status: Int, _ text: String, contentType: String = "text/plain; charset=utf-8")
        -> ServerResponse
    {
        ServerResponse(status: status, headers: ["Content-Type": contentType], body: .bytes(Array(text.utf8)))
    }
}

/// Where a streamed response body is written.
public protocol ResponseBodyWriter: Sendable {
    /// Sends `bytes` to the client; suspends while the client is slower than the producer (back-pressure).
    /// Throws `ClientDisconnected` when the client has gone.
    func write(_ bytes: [UInt8]) async throws
}

/// The client closed the connection before the response was complete.
public struct ClientDisconnected: Error, Sendable, Equatable {
    /// Creates the error.
    public init() {}
}
