import Foundation
import Logging
import Testing
import VVPipelines

@testable import VVServer

/// Builds an `APIServer` over test doubles and runs requests through it in-process.
struct TestAPI {
    let api: APIServer
    let context: ServerContext

    init(
        _ configure: (inout ServerConfiguration) -> Void = { _ in }, provider: any PipelineProvider = TestDoubleProvider(),
        waitForLoad: Bool = true, device: ComputeDevice? = nil
    ) async {
        var config = ServerConfiguration()
        config.models.asr.common.enabled = true
        configure(&config)
        let registry = ModelRegistry(configuration: config)
        if waitForLoad {
            await registry.loadAll(with: provider) { _ in }
        } else {
            Task { await registry.loadAll(with: provider) { _ in } }
        }
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        context = ServerContext(
            configuration: config, registry: registry, metrics: ServerMetrics(), logger: logger,
            uploadDecoder: MockUploadDecoder(), device: device)
        api = APIServer(context: context)
    }

    /// Sends a request and returns status, headers and the whole body (streams are drained).
    func send(
        _ method: String, _ path: String, headers: HTTPHeaderFields = [:], body: [UInt8] = [],
        connection: any ClientConnection = UnknownClientConnection()
    ) async -> TestResponse {
        var query: [(name: String, value: String)] = []
        var cleanPath = path
        if let q = path.firstIndex(of: "?") {
            cleanPath = String(path[..<q])
            for pair in path[path.index(after: q)...].split(separator: "&") {
                let kv = pair.split(separator: "=", maxSplits: 1).map(String.init)
                query.append((name: kv[0], value: kv.count > 1 ? kv[1] : ""))
            }
        }
        let head = HTTPRequestHead(method: method, path: cleanPath, query: query, headers: headers)
        let response = await api.handle(head, body: RequestBody(bytes: body), connection: connection)
        let writer = CollectingWriter()
        var streamError: (any Error)?
        switch response.body {
        case .bytes(let b): await writer.append(b)
        case .stream(let produce):
            do { try await produce(writer) } catch { streamError = error }
        }
        return TestResponse(status: response.status, headers: response.headers, body: await writer.bytes, streamError: streamError,
                            streamed: { if case .stream = response.body { true } else { false } }())
    }

    func json(_ method: String, _ path: String, _ object: Any, headers: HTTPHeaderFields = [:]) async -> TestResponse {
        var h = headers
        h["Content-Type"] = "application/json"
        let data = (try? JSONSerialization.data(withJSONObject: object)) ?? Data()
        return await send(method, path, headers: h, body: [UInt8](data))
    }

    func multipart(_ path: String, fields: [(String, String)], file: [UInt8]?, filename: String = "a.wav", headers: HTTPHeaderFields = [:]) async
        -> TestResponse
    {
        let boundary = "----vvtest\(UInt32.random(in: 0...UInt32.max))"
        var body: [UInt8] = []
        for (name, value) in fields {
            body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8)
        }
        if let file {
            body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(filename)\"\r\nContent-Type: audio/wav\r\n\r\n".utf8)
            body += file + Array("\r\n".utf8)
        }
        body += Array("--\(boundary)--\r\n".utf8)
        var h = headers
        h["Content-Type"] = "multipart/form-data; boundary=\(boundary)"
        return await send("POST", path, headers: h, body: body)
    }
}

struct TestResponse {
    let status: Int
    let headers: HTTPHeaderFields
    let body: [UInt8]
    let streamError: (any Error)?
    let streamed: Bool

    var text: String { String(decoding: body, as: UTF8.self) }

    func jsonObject() throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(body)) as? [String: Any], "not a JSON object: \(text)")
    }

    /// The OpenAI error object, checking all four keys are present.
    func error() throws -> [String: Any] {
        let e = try #require(try jsonObject()["error"] as? [String: Any], "no error object in \(text)")
        for key in ["message", "type", "param", "code"] { #expect(e.keys.contains(key), "error lacks \(key): \(text)") }
        return e
    }

    /// The `data:` payloads of an SSE body, parsed.
    func sseEvents() throws -> [[String: Any]] {
        try text.components(separatedBy: "\n\n").filter { !$0.isEmpty }.map { block in
            #expect(block.hasPrefix("data: "), "bad SSE block: \(block.prefix(60))")
            return try #require(JSONSerialization.jsonObject(with: Data(block.dropFirst(6).utf8)) as? [String: Any])
        }
    }
}

actor CollectingWriter: ResponseBodyWriter {
    var bytes: [UInt8] = []
    var chunks = 0
    func append(_ b: [UInt8]) { bytes += b }
    func write(_ b: [UInt8]) async throws {
        bytes += b
        chunks += 1
    }
}

/// Decodes any upload as silence of `bytes.count * 10` samples; "BAD" uploads are undecodable.
struct MockUploadDecoder: AudioUploadDecoder {
    func decode(_ bytes: [UInt8], filename: String?, contentType: String?, sampleRate: Int, maxSeconds: Double) async throws -> [Float] {
        if bytes.starts(with: Array("BAD".utf8)) {
            throw AudioUploadError.unsupportedFormat(detected: "unknown", hint: "install ffmpeg")
        }
        let n = bytes.count * 10
        if Double(n) / Double(sampleRate) > maxSeconds { throw AudioUploadError.tooLong(limit: maxSeconds) }
        return [Float](repeating: 0, count: n)
    }
}

/// A connection that reports closed after `openFor` checks.
final class ClosingConnection: ClientConnection, @unchecked Sendable {
    private let lock = NSLock()
    private var checks = 0
    let openFor: Int
    init(openFor: Int) { self.openFor = openFor }
    func isOpen() -> Bool {
        lock.withLock {
            checks += 1
            return checks <= openFor
        }
    }
}
