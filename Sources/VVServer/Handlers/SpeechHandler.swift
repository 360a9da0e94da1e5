import Foundation
import VVAudio
import VVPipelines

/// `POST /v1/audio/speech`: validate, resolve model and voice, queue, then stream audio as it is made.
struct SpeechHandler {
    let context: ServerContext

    func handle(_ request: IncomingRequest) async throws -> ServerResponse {
        let bytes = try await request.body.collect(upTo: context.configuration.server.maxJSONBodyKB * 1024)
        let params = try SpeechParameters.parse(bytes, configuration: context.configuration)
        let modelID = try context.registry.resolve(params.model, for: .speech)
        request.info.model = modelID.rawValue
        guard case .speech(let synthesizer) = try context.readyPipeline(modelID) else {
            throw APIError(status: 500, message: "Model \(modelID.rawValue) is not a speech model.", type: "server_error")
        }
        // SSE carries raw PCM16 for wav/pcm (research/api.md §4.1); other formats carry their encoded bytes.
        let encoderFormat: AudioFormat = params.streamFormat == .sse && params.format == .wav ? .pcm : params.format
        // `speed` is a pitch-preserving time-stretch of the generated audio (VibeVoice has no speed control).
        // Made before synthesis, so a missing encoder fails the request before any model work.
        let encoder = try SpeechOutputEncoder(
            format: encoderFormat, sampleRate: synthesizer.sampleRate, speed: params.speed, streaming: true)
        let settings = context.speechSettings(modelID)
        let resolver = VoiceResolver(voices: synthesizer.voices, defaultVoice: settings.defaultVoice, strict: settings.strictVoices)
        let voice = try resolver.resolve(params.voice).voice
        let permit = try await context.acquireSlot(modelID, connection: request.connection)
        let speech = SpeechRequest(
            text: params.input, voice: voice.id, cfgScale: params.cfgScale, inferenceSteps: params.inferenceSteps, seed: params.seed)
        let started = ContinuousClock.now
        let events = IteratorBox(synthesizer.synthesize(speech).makeAsyncIterator())
        // Wait for the first piece so a failure before any audio still gets a proper error status.
        let first: SpeechEvent?
        do {
            first = try await watchingClient(request.connection) { try await events.next() }
            if case .audio = first {
                context.metrics.recordFirstAudio(model: modelID.rawValue, duration: ContinuousClock.now - started)
            }
        } catch {
            permit.release()
            throw error
        }
        var headers: HTTPHeaderFields = ["X-Voice": voice.id, "Cache-Control": "no-cache"]
        if params.streamFormat == .sse {
            headers["Content-Type"] = "text/event-stream"
        } else {
            headers["Content-Type"] = params.format.contentType
            headers["Content-Disposition"] = "attachment; filename=speech.\(params.format.fileExtension)"
            if params.format == .pcm {
                headers["X-Sample-Rate"] = String(synthesizer.sampleRate)
                headers["X-Channels"] = "1"
                headers["X-Bit-Depth"] = "16"
            }
        }
        let streamer = SpeechStreamer(
            events: events, first: first, encoder: encoder, sse: params.streamFormat == .sse, permit: permit,
            connection: request.connection, context: context, requestID: request.id, model: modelID.rawValue,
            sampleRate: synthesizer.sampleRate)
        return ServerResponse(status: 200, headers: headers, body: .stream { writer in try await streamer.run(writer) })
    }
}

/// Writes one speech response body: audio bytes (or SSE events) as the model makes them, then the end.
/// Driven by one task (the transport's producer), so its mutable state needs no lock.
final class SpeechStreamer: @unchecked Sendable {
    private let events: IteratorBox<AsyncThrowingStream<SpeechEvent, any Error>.Iterator>
    private var pending: SpeechEvent?
    private var encoder: SpeechOutputEncoder
    private let sse: Bool
    private let permit: ExecutorPermit
    private let connection: any ClientConnection
    private let context: ServerContext
    private let requestID: String
    private let model: String
    private let sampleRate: Int

    init(
        events: IteratorBox<AsyncThrowingStream<SpeechEvent, any Error>.Iterator>, first: SpeechEvent?,
        encoder: SpeechOutputEncoder, sse: Bool, permit: ExecutorPermit, connection: any ClientConnection,
        context: ServerContext, requestID: String, model: String, sampleRate: Int
    ) {
        self.model = model
        self.sampleRate = sampleRate
        self.events = events
        self.pending = first
        self.encoder = encoder
        self.sse = sse
        self.permit = permit
        self.connection = connection
        self.context = context
        self.requestID = requestID
    }

    func run(_ writer: any ResponseBodyWriter) async throws {
        defer { permit.release() }
        do {
            try await watchingClient(connection) { try await self.pump(writer) }
        } catch let error where sse && !(error is ClientDisconnected) && !(error is CancellationError) {
            // Mid-stream failure in SSE: an error event, then the stream ends (the OpenAI SDK raises it).
            context.logger.error("speech stream failed", metadata: ["request_id": "\(requestID)", "error": "\(error)"])
            try await writer.write(SSE.event(ErrorMapping.apiError(for: error).jsonObject))
        }
    }

    private func pump(_ writer: any ResponseBodyWriter) async throws {
        var usage = SpeechUsage(inputTokens: 0, outputTokens: 0)
        var samplesMade = 0
        defer { context.metrics.recordAudio(model: model, seconds: Double(samplesMade) / Double(max(sampleRate, 1))) }
        while let event = pending {
            switch event {
            case .audio(let samples):
                samplesMade += samples.count
                let bytes = try encoder.encode(samples)
                try await writer.write(sse ? SpeechHandler.delta(bytes) : bytes)
            case .finished(let u):
                usage = u
            }
            pending = try await events.next()
        }
        let tail = try encoder.finish()
        try await writer.write(sse ? SpeechHandler.delta(tail) : tail)
        if sse { try await writer.write(SpeechHandler.done(usage)) }
    }
}

extension SpeechHandler {
    static func delta(_ bytes: [UInt8]) -> [UInt8] {
        guard !bytes.isEmpty else { return [] }
        return SSE.event(["type": "speech.audio.delta", "audio": Data(bytes).base64EncodedString()])
    }

    static func done(_ usage: SpeechUsage) -> [UInt8] {
        SSE.event([
            "type": "speech.audio.done",
            "usage": [
                "input_tokens": usage.inputTokens, "output_tokens": usage.outputTokens,
                "total_tokens": usage.inputTokens + usage.outputTokens,
            ],
        ])
    }
}
