/// Handles one request. Implementations must be safe to call concurrently.
public protocol HTTPRequestHandler: Sendable {
    /// Answers `head` with `body`; `connection` tells whether the client is still there.
    func handle(_ head: HTTPRequestHead, body: RequestBody, connection: any ClientConnection) async -> ServerResponse
}

/// The state of the client connection a request arrived on.
public protocol ClientConnection: Sendable {
    /// False once the client has closed the connection; true while it is open or when this cannot be known.
    func isOpen() -> Bool
}

/// A connection whose state is unknown: always reported open (tests, platforms without a probe).
public struct UnknownClientConnection: ClientConnection {
    /// Creates the value.
    public init() {}
    /// Always true.
    public func isOpen() -> Bool { true }
}

/// The HTTP server underneath: listens, parses HTTP/1.1, and calls a handler. The only seam to the framework.
public protocol HTTPServing: Sendable {
    /// Binds `host:port` (port 0 picks a free one) and starts serving `handler` in the background; returns the
    /// bound port once listening.
    func start(host: String, port: Int, handler: any HTTPRequestHandler) async throws -> Int
    /// Stops listening and closes connections.
    func stop() async
}
