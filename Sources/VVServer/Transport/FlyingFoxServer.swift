import FlyingFox
import FlyingSocks
import Foundation

/// `HTTPServing` on FlyingFox 0.27.1. The only file (with its private helpers) that sees FlyingFox types.
///
/// Adds what FlyingFox lacks: TCP_NODELAY on every socket, streamed response bodies with back-pressure and
/// disconnect detection, a per-request client-connection probe, and closing the read side of a connection whose
/// request body the handler left unread (so leftover upload bytes are never parsed as a request).
public final class FlyingFoxServer: HTTPServing, @unchecked Sendable {
    private let lock = NSLock()
    private var server: HTTPServer?
    private var runTask: Task<Void, Never>?
    /// Longest time a handler may take to produce its response head (a non-streamed transcription included).
    public let requestTimeout: TimeInterval
    /// Longest pause while a request body is being read before the connection is dropped (a stalled client).
    public let bodyIdleTimeout: Duration

    /// Creates a server; nothing listens until `start`.
    public init(requestTimeout: TimeInterval = 3600, bodyIdleTimeout: Duration = .seconds(30)) {
        self.requestTimeout = requestTimeout
        self.bodyIdleTimeout = bodyIdleTimeout
    }

    /// Binds and starts serving; returns the bound port.
    public func start(host: String, port: Int, handler: any HTTPRequestHandler) async throws -> Int {
        guard (0...65535).contains(port) else { throw TransportError.badAddress("port \(port) is out of range") }
        let pool = NoDelaySocketPool(inner: HTTPServer.defaultPool())
        let config: HTTPServer.Configuration
        do {
            if host.contains(":") {
                config = .init(
                    address: try sockaddr_in6.inet6(ip6: host, port: UInt16(port)), timeout: requestTimeout, pool: pool,
                    logger: .disabled)
            } else {
                config = .init(
                    address: try sockaddr_in.inet(ip4: host, port: UInt16(port)), timeout: requestTimeout, pool: pool,
                    logger: .disabled)
            }
        } catch {
            throw TransportError.badAddress("'\(host)' is not an IP address (use 0.0.0.0, 127.0.0.1 or ::)")
        }
        let adapter = HandlerAdapter(
            handler: handler, localPort: PortBox(), closing: ClosingConnections(), bodyIdleTimeout: bodyIdleTimeout)
        let server = HTTPServer(config: config, handler: adapter)
        let failure = FailureBox()
        let task = Task {
            do { try await server.run() } catch { failure.set(error) }
        }
        lock.withLock {
            self.server = server
            self.runTask = task
        }
        // Wait until the socket listens, or until `run` fails (address in use, permission denied).
        for _ in 0..<400 {
            if let error = failure.get() { throw TransportError.badAddress("\(host):\(port): \(error)") }
            switch await server.listeningAddress {
            case .ip4(_, let bound)?, .ip6(_, let bound)?:
                adapter.localPort.set(Int(bound))
                return Int(bound)
            default:
                try await Task.sleep(for: .milliseconds(25))
            }
        }
        throw TransportError.badAddress("timed out waiting to listen on \(host):\(port)")
    }

    /// Stops the server.
    public func stop() async {
        let (server, task) = lock.withLock { (self.server, self.runTask) }
        await server?.stop(timeout: 1)
        task?.cancel()
    }
}

/// Errors of the transport.
public enum TransportError: Error, Sendable, CustomStringConvertible {
    /// The listen address is unusable.
    case badAddress(String)

    /// A one-line description.
    public var description: String {
        switch self {
        case .badAddress(let why): "cannot listen: \(why)"
        }
    }
}

/// Peers (`ip:port`, one per TCP connection) whose connection is being closed because the handler left part of
/// the request body unread. Entries expire after a minute; a client cannot reuse its port that soon (TIME_WAIT).
final class ClosingConnections: @unchecked Sendable {
    private let lock = NSLock()
    private var peers: [String: ContinuousClock.Instant] = [:]

    func insert(_ peer: String) {
        lock.withLock {
            let now = ContinuousClock.now
            peers = peers.filter { now - $0.value < .seconds(60) }
            peers[peer] = now
        }
    }

    func contains(_ peer: String) -> Bool {
        lock.withLock { peers[peer].map { ContinuousClock.now - $0 < .seconds(60) } ?? false }
    }
}

final class FailureBox: @unchecked Sendable {
    private let lock = NSLock()
    private var error: (any Error)?
    func set(_ e: any Error) { lock.withLock { error = e } }
    func get() -> (any Error)? { lock.withLock { error } }
}

final class PortBox: @unchecked Sendable {
    private let lock = NSLock()
    private var port = 0
    func set(_ p: Int) { lock.withLock { port = p } }
    func get() -> Int { lock.withLock { port } }
}

/// Counts the body bytes a handler consumed, and when the last arrived.
private final class ConsumedCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var consumed = 0
    private var ended = false
    private var lastActivity = ContinuousClock.now
    func add(_ n: Int) {
        lock.withLock {
            consumed += n
            lastActivity = .now
        }
    }
    func end() { lock.withLock { ended = true } }
    var snapshot: (consumed: Int, ended: Bool) { lock.withLock { (consumed, ended) } }
    var idle: Duration { lock.withLock { ContinuousClock.now - lastActivity } }
}

private struct FlyingFoxBodySource: BodyChunkSource {
    var iterator: HTTPBodySequence.Iterator
    let counter: ConsumedCounter

    mutating func nextChunk() async throws -> [UInt8]? {
        guard let data = try await iterator.next() else {
            counter.end()
            return nil
        }
        counter.add(data.count)
        return [UInt8](data)
    }
}

private struct HandlerAdapter: HTTPHandler {
    let handler: any HTTPRequestHandler
    let localPort: PortBox
    let closing: ClosingConnections
    let bodyIdleTimeout: Duration
    /// Bytes of an unread body drained after the response head is ready, before giving up on the connection.
    static let drainLimit = 4 * 1024 * 1024

    func handleRequest(_ request: HTTPRequest) async throws -> HTTPResponse {
        var headers = HTTPHeaderFields()
        for (key, value) in request.headers { headers.add(key.rawValue, value) }
        let remote: String? =
            switch request.remoteAddress {
            case .ip4(let ip, let port)?: "\(ip):\(port)"
            case .ip6(let ip, let port)?: "\(ip):\(port)"
            default: nil
            }
        let head = HTTPRequestHead(
            method: request.method.rawValue, path: request.path.removingPercentEncoding ?? request.path,
            query: request.query.map { (name: $0.name, value: $0.value) }, headers: headers, remoteAddress: remote)
        let counter = ConsumedCounter()
        let sequence = request.bodySequence
        let body = RequestBody(declaredLength: sequence.count) {
            FlyingFoxBodySource(iterator: sequence.makeAsyncIterator(), counter: counter)
        }
        let probe = remote.map { SocketPeerProbe(peer: $0, localPort: localPort.get()) }
        if let remote, closing.contains(remote) {
            // Bytes FlyingFox had already buffered behind a refused body: never serve them as a request.
            probe?.shutdownConnection()
            return HTTPResponse(statusCode: .badRequest, headers: [.connection: "close"])
        }
        // A client that stops sending in the middle of its body is dropped after `bodyIdleTimeout`, so it cannot
        // hold a handler (and a queue slot) forever. Small bodies were read whole by FlyingFox already.
        let watchdog: Task<Void, Never>? = (sequence.count ?? Int.max) <= 4096 ? nil : Task { [bodyIdleTimeout] in
            while !Task.isCancelled {
                try? await Task.sleep(for: .milliseconds(250))
                if counter.snapshot.ended { return }
                if counter.idle > bodyIdleTimeout {
                    probe?.shutdownConnection()
                    return
                }
            }
        }
        var response = await handler.handle(head, body: body, connection: probe ?? UnknownClientConnection())
        watchdog?.cancel()
        if await !drainUnread(body: body, declared: sequence.count, counter: counter) {
            if let remote { closing.insert(remote) }
            probe?.shutdownReads()
            response.headers["Connection"] = "close"
        }
        return convert(response)
    }

    /// Reads what the handler left of the body, up to `drainLimit`; true when the body was read to its end.
    private func drainUnread(body: RequestBody, declared: Int?, counter: ConsumedCounter) async -> Bool {
        let (consumed, ended) = counter.snapshot
        if ended { return true }
        if let declared, consumed >= declared { return true }
        if let declared, declared <= 2_097_152 { return true }  // FlyingFox buffers and flushes bodies up to 2 MiB
        if let declared, declared - consumed > Self.drainLimit { return false }
        var drained = 0
        do {
            for try await chunk in body {
                drained += chunk.count
                if drained > Self.drainLimit { return false }
            }
            return true
        } catch {
            return false
        }
    }

    private func convert(_ response: ServerResponse) -> HTTPResponse {
        var headers = HTTPHeaders()
        for field in response.headers { headers.addValue(field.value, for: HTTPHeader(field.name)) }
        let status = HTTPStatusCode(response.status, phrase: HTTPStatusPhrase.phrase(for: response.status))
        switch response.body {
        case .bytes(let bytes):
            return HTTPResponse(statusCode: status, headers: headers, body: Data(bytes))
        case .stream(let produce):
            let sequence = ChannelByteSequence(channel: ByteStreamChannel(), produce: produce)
            return HTTPResponse(
                statusCode: status, headers: headers,
                body: HTTPBodySequence(from: sequence, suggestedBufferSize: 64 * 1024))
        }
    }
}

/// Starts the producer on first read and cancels it when the transport drops the body (client gone).
private final class StreamConsumer: @unchecked Sendable {
    let channel: ByteStreamChannel
    private let produce: @Sendable (any ResponseBodyWriter) async throws -> Void
    private var task: Task<Void, Never>?

    init(channel: ByteStreamChannel, produce: @escaping @Sendable (any ResponseBodyWriter) async throws -> Void) {
        self.channel = channel
        self.produce = produce
    }

    func startIfNeeded() {
        guard task == nil else { return }
        let channel = self.channel
        let produce = self.produce
        task = Task {
            do {
                try await produce(ChannelWriter(channel: channel))
                channel.finish()
            } catch {
                channel.finish(error: error)
            }
        }
    }

    deinit {
        channel.cancel()
        task?.cancel()
    }
}

private struct ChannelWriter: ResponseBodyWriter {
    let channel: ByteStreamChannel
    func write(_ bytes: [UInt8]) async throws { try await channel.write(bytes) }
}

private struct ChannelByteSequence: AsyncBufferedSequence {
    typealias Element = UInt8
    let channel: ByteStreamChannel
    let produce: @Sendable (any ResponseBodyWriter) async throws -> Void

    func makeAsyncIterator() -> Iterator {
        Iterator(consumer: StreamConsumer(channel: channel, produce: produce))
    }

    struct Iterator: AsyncBufferedIteratorProtocol {
        let consumer: StreamConsumer
        private var pending: [UInt8] = []

        init(consumer: StreamConsumer) { self.consumer = consumer }

        mutating func next() async throws -> UInt8? {
            if pending.isEmpty {
                guard let chunk = try await nextBuffer(suggested: 64 * 1024) else { return nil }
                pending = chunk
            }
            return pending.isEmpty ? nil : pending.removeFirst()
        }

        mutating func nextBuffer(suggested count: Int) async throws -> [UInt8]? {
            if !pending.isEmpty {
                defer { pending = [] }
                return pending
            }
            consumer.startIfNeeded()
            return try await consumer.channel.next(maxBytes: Swift.max(count, 1))
        }
    }
}
