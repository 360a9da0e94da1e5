/// A request body delivered as it arrives from the socket, in chunks of bytes.
///
/// It is read once: every iterator made from one body shares the same position, so a handler that reads part of
/// the body and the transport that drains the rest never read a byte twice. `collect(upTo:)` enforces a size limit
/// while reading, so an oversized upload is refused after at most `limit` bytes, never buffered whole.
public struct RequestBody: AsyncSequence, Sendable {
    /// A chunk of body bytes.
    public typealias Element = [UInt8]

    /// The declared `Content-Length`, or nil for chunked bodies.
    public let declaredLength: Int?
    private let reader: BodyReader

    /// Creates a body from a factory of the chunk source (called once, on first read).
    public init(declaredLength: Int?, makeSource: @escaping @Sendable () -> any BodyChunkSource) {
        self.declaredLength = declaredLength
        self.reader = BodyReader(makeSource: makeSource)
    }

    /// Creates a body holding `bytes` (tests, internal requests).
    public init(bytes: [UInt8], chunkSize: Int = 4096) {
        let size = Swift.max(chunkSize, 1)
        let chunks = stride(from: 0, to: bytes.count, by: size).map { Array(bytes[$0..<Swift.min($0 + size, bytes.count)]) }
        self.init(chunks: chunks, declaredLength: bytes.count)
    }

    /// Creates a body from explicit chunks (tests use this to split bodies at awkward places).
    public init(chunks: [[UInt8]], declaredLength: Int? = nil) {
        self.init(declaredLength: declaredLength) { ChunkListSource(chunks: chunks) }
    }

    /// Returns an iterator over the remaining chunks.
    public func makeAsyncIterator() -> Iterator { Iterator(reader: reader) }

    /// Iterates over body chunks.
    public struct Iterator: AsyncIteratorProtocol {
        let reader: BodyReader

        /// The next chunk, or nil at the end of the body.
        public mutating func next() async throws -> [UInt8]? {
            try await reader.next()
        }
    }

    /// Reads the rest of the body; throws `HTTPBodyError.tooLarge` as soon as more than `limit` bytes arrive.
    public func collect(upTo limit: Int) async throws -> [UInt8] {
        if let declaredLength, declaredLength > limit { throw HTTPBodyError.tooLarge(limit: limit) }
        var out: [UInt8] = []
        for try await chunk in self {
            if out.count + chunk.count > limit { throw HTTPBodyError.tooLarge(limit: limit) }
            out += chunk
        }
        return out
    }
}

/// A source of body chunks (the transport's adapter).
public protocol BodyChunkSource {
    /// The next chunk, or nil at the end.
    mutating func nextChunk() async throws -> [UInt8]?
}

/// Holds the one chunk source of a body. Reads are sequential by contract (one consumer at a time).
final class BodyReader: @unchecked Sendable {
    private let makeSource: @Sendable () -> any BodyChunkSource
    private var source: (any BodyChunkSource)?
    private var ended = false

    init(makeSource: @escaping @Sendable () -> any BodyChunkSource) {
        self.makeSource = makeSource
    }

    func next() async throws -> [UInt8]? {
        if ended { return nil }
        var current = source ?? makeSource()
        let chunk = try await current.nextChunk()
        source = current
        if chunk == nil { ended = true }
        return chunk
    }
}

struct ChunkListSource: BodyChunkSource {
    var chunks: [[UInt8]]
    var index = 0
    mutating func nextChunk() async throws -> [UInt8]? {
        guard index < chunks.count else { return nil }
        defer { index += 1 }
        return chunks[index]
    }
}

/// Errors while reading a request body.
public enum HTTPBodyError: Error, Sendable, Equatable {
    /// The body is larger than `limit` bytes.
    case tooLarge(limit: Int)
    /// The body ended before its declared length, or the client stopped sending.
    case truncated
}
