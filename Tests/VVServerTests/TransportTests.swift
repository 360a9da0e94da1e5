import Foundation
import Testing
import VVPipelines

@testable import VVServer

/// The real FlyingFox transport on loopback, driven with raw bytes.
@Suite(.serialized) struct TransportTests {
    struct Running {
        let server: FlyingFoxServer
        let port: Int
        let api: TestAPI
        let counter: FrameCounter
    }

    func start(
        delay: Duration = .zero, idle: Duration = .seconds(30), _ configure: (inout ServerConfiguration) -> Void = { _ in }
    ) async throws -> Running {
        let counter = FrameCounter()
        let api = await TestAPI(configure, provider: CountingProvider(delay: delay, counter: counter))
        let server = FlyingFoxServer(requestTimeout: 60, bodyIdleTimeout: idle)
        let port = try await server.start(host: "127.0.0.1", port: 0, handler: api.api)
        return Running(server: server, port: port, api: api, counter: counter)
    }

    @Test func keepAliveServesSeveralRequestsOnOneConnection() async throws {
        let r = try await start()
        defer { Task { await r.server.stop() } }
        let statuses = try await blocking {
            let c = try RawHTTPClient(port: r.port)
            var out: [Int] = []
            for _ in 0..<3 {
                try c.send("GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n")
                out.append(try c.readResponse()?.status ?? -1)
            }
            return out
        }
        #expect(statuses == [200, 200, 200])
    }

    @Test func speechStreamsWhileItIsBeingMade() async throws {
        let r = try await start(delay: .milliseconds(40))
        defer { Task { await r.server.stop() } }
        let body = #"{"input":"\#(String(repeating: "a", count: 160))","response_format":"pcm"}"#
        let (first, activeAtFirstChunk, total) = try await blocking { () -> (Int, Int, Int) in
            let c = try RawHTTPClient(port: r.port)
            try c.send("POST /v1/audio/speech HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)")
            let head = try c.readHead()
            #expect(head?.status == 200 && head?.headers["transfer-encoding"] == "chunked")
            let firstChunk = try c.readChunk() ?? []
            let active = r.api.context.registry.slot(.realtime).executor.activeCount
            var total = firstChunk.count
            while let chunk = try c.readChunk() { total += chunk.count }
            return (firstChunk.count, active, total)
        }
        #expect(first > 0 && first < total, "audio arrived in pieces")
        #expect(activeAtFirstChunk == 1, "the first piece arrived while generation was still running")
        #expect(total == 20 * 3200 * 2)
    }

    @Test func clientDisconnectStopsGenerationAndFreesTheSlot() async throws {
        let r = try await start(delay: .milliseconds(20))
        defer { Task { await r.server.stop() } }
        let body = #"{"input":"\#(String(repeating: "a", count: 800))","response_format":"pcm"}"#
        try await blocking {
            let c = try RawHTTPClient(port: r.port)
            try c.send("POST /v1/audio/speech HTTP/1.1\r\nHost: x\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)")
            _ = try c.readHead()
            _ = try c.readChunk()
        }  // the client is closed here
        let executor = r.api.context.registry.slot(.realtime).executor
        for _ in 0..<500 where executor.activeCount > 0 { try await Task.sleep(for: .milliseconds(10)) }
        #expect(executor.activeCount == 0)
        #expect(r.counter.frames < 100, "generation stopped early (\(r.counter.frames) of 100 frames)")
    }

    @Test func nonStreamedTranscriptionIsCancelledWhenTheClientLeaves() async throws {
        let r = try await start(delay: .milliseconds(150))
        defer { Task { await r.server.stop() } }
        let boundary = "bnd"
        let body = "--bnd\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.wav\"\r\n\r\n\(String(repeating: "x", count: 2400))\r\n--bnd--\r\n"
        try await blocking {
            let c = try RawHTTPClient(port: r.port)
            try c.send("POST /v1/audio/transcriptions HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=\(boundary)\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)")
            Thread.sleep(forTimeInterval: 0.3)
        }
        let executor = r.api.context.registry.slot(.asr).executor
        for _ in 0..<300 where executor.activeCount > 0 { try await Task.sleep(for: .milliseconds(10)) }
        #expect(executor.activeCount == 0, "the slot is freed long before the 11 words × 150 ms transcript would end")
        #expect(r.counter.words < 11)
    }

    @Test func oversizedDeclaredUploadIsRefusedAndTheRestNeverParsedAsARequest() async throws {
        let r = try await start { $0.audio.maxUploadMB = 1 }
        defer { Task { await r.server.stop() } }
        let (status, responses) = try await blocking { () -> (Int, Int) in
            let c = try RawHTTPClient(port: r.port)
            // One send, so the "body" (a whole request) lands in the server's read buffer with the head.
            try c.send(
                "POST /v1/audio/transcriptions HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: 50000000\r\n\r\n"
                    + "GET /v1/models HTTP/1.1\r\nHost: x\r\n\r\n")
            Thread.sleep(forTimeInterval: 0.05)
            try c.send("GET /v1/models HTTP/1.1\r\nHost: x\r\n\r\n")
            let first = try c.readResponse()
            var more = 0
            while (try? c.readResponse()) != nil { more += 1 }
            return (first?.status ?? -1, more)
        }
        #expect(status == 413)
        #expect(responses == 0, "bytes after a refused body must not be served as a request")
    }

    @Test func malformedAndTruncatedRequestsDoNotWedgeTheServer() async throws {
        let r = try await start()
        defer { Task { await r.server.stop() } }
        try await blocking {
            let junk = try RawHTTPClient(port: r.port)
            try junk.send([0, 1, 2, 255, 13, 10, 13, 10])
            _ = junk.readsEOF()
            let truncated = try RawHTTPClient(port: r.port)
            try truncated.send("POST /v1/audio/speech HTTP/1.1\r\nHost: x\r\nContent-Length: 500\r\n\r\n{\"input\":")
            truncated.shutdownWrite()
            _ = try? truncated.readResponse()
            let badLength = try RawHTTPClient(port: r.port)
            try badLength.send("POST /v1/audio/speech HTTP/1.1\r\nContent-Length: -5\r\n\r\n")
            _ = badLength.readsEOF()
        }
        let status = try await blocking { () -> Int in
            let c = try RawHTTPClient(port: r.port)
            try c.send("GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
            return try c.readResponse()?.status ?? -1
        }
        #expect(status == 200)
    }

    @Test func aStalledUploadIsDroppedAndFreesNothingItNeverTook() async throws {
        let r = try await start(idle: .milliseconds(300))
        defer { Task { await r.server.stop() } }
        let dropped = try await blocking { () -> Bool in
            let c = try RawHTTPClient(port: r.port, timeoutSeconds: 5)
            try c.send("POST /v1/audio/transcriptions HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: 100000\r\n\r\n--b\r\n")
            return c.readsEOF()  // no more bytes are sent: the server must hang up within the idle timeout
        }
        #expect(dropped)
        let status = try await blocking { () -> Int in
            let c = try RawHTTPClient(port: r.port)
            try c.send("GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
            return try c.readResponse()?.status ?? -1
        }
        #expect(status == 200)
    }

    @Test func aSlowSenderDoesNotBlockOthers() async throws {
        let r = try await start()
        defer { Task { await r.server.stop() } }
        let body = Array(#"{"input":"slow","response_format":"pcm"}"#.utf8)
        let slow = Task {
            try await blocking { () -> Int in
                let c = try RawHTTPClient(port: r.port)
                try c.send("POST /v1/audio/speech HTTP/1.1\r\nHost: x\r\nContent-Length: \(body.count)\r\n\r\n")
                for b in body {
                    try c.send([b])
                    Thread.sleep(forTimeInterval: 0.02)
                }
                return try c.readResponse()?.status ?? -1
            }
        }
        for _ in 0..<5 {
            let s = try await blocking { () -> Int in
                let c = try RawHTTPClient(port: r.port)
                try c.send("GET /v1/audio/voices HTTP/1.1\r\nHost: x\r\n\r\n")
                return try c.readResponse()?.status ?? -1
            }
            #expect(s == 200)
        }
        #expect(try await slow.value == 200)
    }
}

/// Counts frames and words the doubles produced, to see that cancelled work really stopped.
final class FrameCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var _frames = 0, _words = 0
    var frames: Int { lock.withLock { _frames } }
    var words: Int { lock.withLock { _words } }
    func frame() { lock.withLock { _frames += 1 } }
    func word() { lock.withLock { _words += 1 } }
}

struct CountingProvider: PipelineProvider {
    let delay: Duration
    let counter: FrameCounter
    func load(_ id: ModelID, configuration: ServerConfiguration) async throws -> LoadedPipeline {
        id.task == .speech
            ? .speech(CountingSynth(inner: ToneSynthesizer(frameDelay: delay), counter: counter))
            : .transcription(CountingTranscriber(inner: ScriptedTranscriber(wordDelay: delay), counter: counter))
    }
}

struct CountingSynth: SpeechSynthesizer {
    let inner: ToneSynthesizer
    let counter: FrameCounter
    var sampleRate: Int { inner.sampleRate }
    var voices: [VoiceInfo] { inner.voices }
    func synthesize(_ request: SpeechRequest) -> AsyncThrowingStream<SpeechEvent, any Error> {
        let base = inner.synthesize(request)
        let counter = self.counter
        return AsyncThrowingStream { c in
            let t = Task {
                do {
                    for try await e in base {
                        if case .audio = e { counter.frame() }
                        c.yield(e)
                    }
                    c.finish()
                } catch { c.finish(throwing: error) }
            }
            c.onTermination = { _ in t.cancel() }
        }
    }
}

struct CountingTranscriber: Transcriber {
    let inner: ScriptedTranscriber
    let counter: FrameCounter
    var sampleRate: Int { inner.sampleRate }
    func transcribe(_ request: TranscriptionRequest) -> AsyncThrowingStream<TranscriptionEvent, any Error> {
        let base = inner.transcribe(request)
        let counter = self.counter
        return AsyncThrowingStream { c in
            let t = Task {
                do {
                    for try await e in base {
                        if case .delta = e { counter.word() }
                        c.yield(e)
                    }
                    c.finish()
                } catch { c.finish(throwing: error) }
            }
            c.onTermination = { _ in t.cancel() }
        }
    }
}
