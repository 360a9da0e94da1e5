import Foundation
import Logging
import VVPipelines

/// What every handler can use: configuration, models, metrics, logging and the upload decoder.
public struct ServerContext: Sendable {
    /// The resolved configuration.
    public let configuration: ServerConfiguration
    /// The models.
    public let registry: ModelRegistry
    /// Prometheus metrics.
    public let metrics: ServerMetrics
    /// The server logger.
    public let logger: Logger
    /// Decodes transcription uploads.
    public let uploadDecoder: any AudioUploadDecoder
    /// What the engines compute on (reported by `/health`); nil for the test doubles.
    public let device: ComputeDevice?

    /// Creates a context.
    public init(
        configuration: ServerConfiguration, registry: ModelRegistry, metrics: ServerMetrics, logger: Logger,
        uploadDecoder: any AudioUploadDecoder, device: ComputeDevice? = nil
    ) {
        self.device = device
        self.configuration = configuration
        self.registry = registry
        self.metrics = metrics
        self.logger = logger
        self.uploadDecoder = uploadDecoder
    }
}

/// One request as a route handler gets it.
struct IncomingRequest: Sendable {
    let id: String
    let head: HTTPRequestHead
    let body: RequestBody
    let connection: any ClientConnection
    /// Filled in by handlers for the log line and metrics.
    let info: RequestInfo
}

/// Facts a handler learns that the request log line reports (the model used).
final class RequestInfo: @unchecked Sendable {
    private let lock = NSLock()
    private var _model = "-"
    var model: String {
        get { lock.withLock { _model } }
        set { lock.withLock { _model = newValue } }
    }
}

/// Runs `body`, cancelling it as soon as the client is seen to have disconnected (polled every 250 ms).
func watchingClient<T: Sendable>(_ connection: any ClientConnection, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask { try await body() }
        group.addTask {
            while true {
                try await Task.sleep(for: .milliseconds(250))
                if !connection.isOpen() { throw ClientDisconnected() }
            }
        }
        defer { group.cancelAll() }
        while let next = try await group.next() {
            if let value = next { return value }
        }
        throw CancellationError()
    }
}

/// Holds a non-Sendable async iterator so one task at a time can drive it across a `@Sendable` boundary.
final class IteratorBox<Base: AsyncIteratorProtocol>: @unchecked Sendable {
    var base: Base
    init(_ base: Base) { self.base = base }
    func next() async throws -> Base.Element? { try await base.next() }
}

/// Encodes Server-Sent Events: `data: <json>\n\n` (no `event:` lines, as OpenAI sends them).
enum SSE {
    static func event(_ object: Any) -> [UInt8] { Array("data: ".utf8) + JSONOutput.bytes(object) + Array("\n\n".utf8) }
}
