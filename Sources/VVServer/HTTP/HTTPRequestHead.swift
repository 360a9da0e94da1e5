/// The head of an HTTP request as route handlers see it: no framework types.
public struct HTTPRequestHead: Sendable {
    /// Method in upper case (`GET`, `POST`, `OPTIONS`).
    public var method: String
    /// Path without the query, percent-decoded (`/v1/audio/speech`).
    public var path: String
    /// Query parameters in order, percent-decoded.
    public var query: [(name: String, value: String)]
    /// Request header fields.
    public var headers: HTTPHeaderFields
    /// The peer's address (`127.0.0.1:53122`), when known.
    public var remoteAddress: String?

    /// Creates a request head.
    public init(
        method: String, path: String, query: [(name: String, value: String)] = [], headers: HTTPHeaderFields = [:],
        remoteAddress: String? = nil
    ) {
        self.method = method.uppercased()
        self.path = path
        self.query = query
        self.headers = headers
        self.remoteAddress = remoteAddress
    }

    /// The first value of query parameter `name`.
    public func queryValue(_ name: String) -> String? {
        query.first(where: { $0.name == name })?.value
    }
}
