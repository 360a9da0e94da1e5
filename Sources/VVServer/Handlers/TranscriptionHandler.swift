import Foundation
import VVPipelines

/// `POST /v1/audio/transcriptions` and `/v1/audio/translations`: stream-parse the upload within limits, decode
/// the audio, queue, transcribe, and answer in the requested format (or as SSE events).
struct TranscriptionHandler {
    let context: ServerContext
    let translation: Bool

    func handle(_ request: IncomingRequest) async throws -> ServerResponse {
        let config = context.configuration
        if translation && config.server.translationMode == "reject" {
            throw APIError.invalid(
                "VibeVoice-ASR cannot translate; this server is configured to reject translation requests.", param: nil,
                code: "unsupported_task")
        }
        let maxUpload = config.audio.maxUploadMB * 1024 * 1024
        let parts = try await readParts(request, maxFileBytes: maxUpload)
        let params = try TranscriptionParameters.parse(parts, translation: translation)
        let modelID = try context.registry.resolve(params.model, for: .transcription)
        request.info.model = modelID.rawValue
        guard case .transcription(let transcriber) = try context.readyPipeline(modelID) else {
            throw APIError(status: 500, message: "Model \(modelID.rawValue) is not a transcription model.", type: "server_error")
        }
        let samples: [Float]
        do {
            samples = try await context.uploadDecoder.decode(
                params.file.data, filename: params.file.filename, contentType: params.file.contentType,
                sampleRate: transcriber.sampleRate, maxSeconds: Double(config.audio.maxAudioSeconds))
        } catch let error as AudioUploadError {
            throw error.apiError
        }
        let asr = TranscriptionRequest(
            samples: samples, sampleRate: transcriber.sampleRate, language: params.language, prompt: params.prompt,
            keywords: params.keywords, temperature: params.temperature ?? config.models.asr.temperature)
        var options = TranscriptRenderOptions()
        options.task = translation ? "translate" : "transcribe"
        options.language = translation ? "unknown" : (params.language ?? "")
        options.speakerLabel = config.audio.subtitleSpeakerLabel
        options.knownSpeakerNames = params.knownSpeakerNames
        var headers = HTTPHeaderFields()
        if translation { headers["X-VibeVoice-Warning"] = "translation-unsupported" }
        let permit = try await context.acquireSlot(modelID, connection: request.connection)
        let events = IteratorBox(transcriber.transcribe(asr).makeAsyncIterator())
        if params.stream {
            headers["Content-Type"] = "text/event-stream"
            headers["Cache-Control"] = "no-cache"
            let streamer = TranscriptStreamer(
                events: events, diarized: params.format == .diarizedJSON, options: options, permit: permit,
                connection: request.connection)
            return ServerResponse(status: 200, headers: headers, body: .stream { writer in try await streamer.run(writer) })
        }
        defer { permit.release() }
        let result = try await watchingClient(request.connection) { () async throws -> TranscriptionResult in
            while let event = try await events.next() {
                if case .finished(let result) = event { return result }
            }
            throw APIError(status: 500, message: "The transcriber ended without a result.", type: "server_error")
        }
        let text = TranscriptRenderer.render(result, as: params.format, options: options)
        headers["Content-Type"] = params.format.isJSON ? "application/json" : "text/plain; charset=utf-8"
        return ServerResponse(status: 200, headers: headers, body: .bytes(Array(text.utf8)))
    }

    /// Parses the multipart body as it arrives, refusing it as soon as a limit is passed.
    private func readParts(_ request: IncomingRequest, maxFileBytes: Int) async throws -> [MultipartPart] {
        let boundary: String
        do {
            boundary = try MultipartParser.boundary(fromContentType: request.head.headers["Content-Type"])
        } catch {
            throw APIError.invalid("\(error.description.capitalizedFirst).", param: nil, code: "invalid_content_type")
        }
        // Room for the form fields and framing around the file.
        let bodyLimit = maxFileBytes + 1024 * 1024
        if let declared = request.body.declaredLength, declared > bodyLimit {
            throw APIError(
                status: 413, message: "The upload is larger than the limit of \(maxFileBytes / (1024 * 1024)) MB.", param: "file",
                code: "file_too_large")
        }
        var parser = try MultipartParser(boundary: boundary, limits: MultipartLimits(maxFileBytes: maxFileBytes))
        var total = 0
        for try await chunk in request.body {
            total += chunk.count
            if total > bodyLimit { throw HTTPBodyError.tooLarge(limit: bodyLimit) }
            try parser.feed(chunk)
        }
        try parser.finish()
        return parser.parts
    }
}

/// Writes a streamed transcription as OpenAI SSE events: `transcript.text.delta`, `transcript.text.segment`
/// (diarized_json only), then `transcript.text.done`. Driven by one task.
final class TranscriptStreamer: @unchecked Sendable {
    private let events: IteratorBox<AsyncThrowingStream<TranscriptionEvent, any Error>.Iterator>
    private let diarized: Bool
    private let options: TranscriptRenderOptions
    private let permit: ExecutorPermit
    private let connection: any ClientConnection
    private var segmentIndex = 0

    init(
        events: IteratorBox<AsyncThrowingStream<TranscriptionEvent, any Error>.Iterator>, diarized: Bool,
        options: TranscriptRenderOptions, permit: ExecutorPermit, connection: any ClientConnection
    ) {
        self.events = events
        self.diarized = diarized
        self.options = options
        self.permit = permit
        self.connection = connection
    }

    func run(_ writer: any ResponseBodyWriter) async throws {
        defer { permit.release() }
        do {
            try await watchingClient(connection) { try await self.pump(writer) }
        } catch let error where !(error is ClientDisconnected) && !(error is CancellationError) {
            try await writer.write(SSE.event(ErrorMapping.apiError(for: error).jsonObject))
        }
    }

    private func pump(_ writer: any ResponseBodyWriter) async throws {
        while let event = try await events.next() {
            switch event {
            case .delta(let text):
                try await writer.write(SSE.event(["type": "transcript.text.delta", "delta": text]))
            case .segment(let s):
                segmentIndex += 1
                guard diarized else { continue }
                try await writer.write(
                    SSE.event([
                        "type": "transcript.text.segment", "id": "seg_" + String(format: "%03d", segmentIndex),
                        "start": s.start, "end": s.end, "speaker": TranscriptRenderer.diarizedLabel(s.speaker, options: options),
                        "text": s.text.trimmingCharacters(in: .whitespacesAndNewlines),
                    ]))
            case .finished(let result):
                try await writer.write(
                    SSE.event(["type": "transcript.text.done", "text": result.text, "usage": TranscriptRenderer.usage(result)]))
                return
            }
        }
    }
}
