import Foundation
import Logging

/// The OpenAI-compatible API: routing, auth, CORS, request ids, logging and metrics around the route handlers.
public final class APIServer: HTTPRequestHandler {
    /// Shared state of all handlers.
    public let context: ServerContext
    private let corsExposed = "X-Request-Id, X-Sample-Rate, X-Channels, X-Bit-Depth, X-Voice, Retry-After, X-VibeVoice-Warning"

    /// Creates the API over `context`.
    public init(context: ServerContext) {
        self.context = context
    }

    /// Handles one request end to end.
    public func handle(_ head: HTTPRequestHead, body: RequestBody, connection: any ClientConnection) async -> ServerResponse {
        let start = ContinuousClock.now
        let requestID = Self.requestID(from: head.headers["X-Request-Id"])
        let request = IncomingRequest(id: requestID, head: head, body: body, connection: connection, info: RequestInfo())
        let route = Route.match(method: head.method, path: head.path)
        var response: ServerResponse
        do {
            response = try await dispatch(route, request)
        } catch {
            let apiError = ErrorMapping.apiError(for: error)
            if apiError.status >= 500 && apiError.status != 503 {
                context.logger.error("request failed", metadata: ["request_id": "\(requestID)", "error": "\(error)"])
            }
            response = apiError.response
        }
        response.headers["X-Request-Id"] = requestID
        if case .stream = response.body { response.headers["X-Accel-Buffering"] = "no" }  // reverse proxies: don't buffer
        if head.method == "HEAD" { response.body = .bytes([]) }
        applyCORS(head, &response)
        return finishLogging(response, route: route, request: request, start: start)
    }

    private func dispatch(_ route: Route, _ request: IncomingRequest) async throws -> ServerResponse {
        let head = request.head
        if head.method == "OPTIONS" { return preflight(head) }
        switch route {
        case .notFound:
            throw APIError(status: 404, message: "Unknown route \(head.method) \(head.path).", code: "unknown_route")
        case .methodNotAllowed(let allowed):
            var response = APIError(
                status: 405, message: "\(head.method) is not allowed on \(head.path); use \(allowed).", code: "method_not_allowed"
            ).response
            response.headers["Allow"] = allowed
            return response
        case .known(let endpoint):
            try authorize(endpoint, head)
            let health = HealthHandlers(context: context)
            let catalog = CatalogHandlers(context: context)
            switch endpoint {
            case .root: return health.root()
            case .health: return health.health()
            case .healthLive: return health.live()
            case .healthReady: return health.ready()
            case .metrics: return await health.metrics()
            case .models: return catalog.listModels()
            case .model(let id): return try catalog.model(named: id)
            case .audioModels: return catalog.audioModels()
            case .voices: return try catalog.voices(head)
            case .speech: return try await SpeechHandler(context: context).handle(request)
            case .transcriptions: return try await TranscriptionHandler(context: context, translation: false).handle(request)
            case .translations: return try await TranscriptionHandler(context: context, translation: true).handle(request)
            }
        }
    }

    /// Checks the Bearer key when keys are configured; health and metrics are always open, listings when configured.
    private func authorize(_ endpoint: Route.Endpoint, _ head: HTTPRequestHead) throws(APIError) {
        let keys = context.configuration.server.apiKeys
        guard !keys.isEmpty, !endpoint.isPublic(exemptListings: context.configuration.server.authExemptListings) else { return }
        let header = head.headers["Authorization"] ?? ""
        let scheme = header.prefix(7).lowercased()
        let token = scheme == "bearer " ? String(header.dropFirst(7)).trimmingCharacters(in: .whitespaces) : ""
        guard keys.contains(where: { Self.constantTimeEquals($0, token) }) else {
            throw APIError(
                status: 401,
                message: header.isEmpty
                    ? "Missing API key: send 'Authorization: Bearer <key>'." : "Incorrect API key provided.",
                code: "invalid_api_key")
        }
    }

    private func preflight(_ head: HTTPRequestHead) -> ServerResponse {
        var response = ServerResponse(status: 204)
        guard allowedOrigin(head) != nil else { return response }
        response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
        response.headers["Access-Control-Allow-Headers"] =
            head.headers["Access-Control-Request-Headers"] ?? "Authorization, Content-Type, X-Request-Id"
        response.headers["Access-Control-Max-Age"] = "600"
        return response
    }

    private func allowedOrigin(_ head: HTTPRequestHead) -> String? {
        let origins = context.configuration.server.corsAllowOrigins
        if origins.contains("*") { return "*" }
        guard let origin = head.headers["Origin"], origins.contains(origin) else { return nil }
        return origin
    }

    private func applyCORS(_ head: HTTPRequestHead, _ response: inout ServerResponse) {
        guard let origin = allowedOrigin(head) else { return }
        response.headers["Access-Control-Allow-Origin"] = origin
        if origin != "*" { response.headers["Vary"] = "Origin" }
        response.headers["Access-Control-Expose-Headers"] = corsExposed
    }

    /// Logs one line and records metrics when the response is complete (for streams: when the stream ends).
    private func finishLogging(_ response: ServerResponse, route: Route, request: IncomingRequest, start: ContinuousClock.Instant)
        -> ServerResponse
    {
        let label = route.label
        let status = response.status
        let record: @Sendable (String) -> Void = { [context] outcome in
            let elapsed = ContinuousClock.now - start
            let ms = Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000
            context.metrics.recordRequest(route: label, model: request.info.model, status: status, duration: elapsed)
            context.logger.info(
                "\(request.head.method) \(request.head.path) \(status)",
                metadata: [
                    "request_id": "\(request.id)", "route": "\(label)", "model": "\(request.info.model)",
                    "status": "\(status)", "duration_ms": "\(String(format: "%.1f", ms))", "outcome": "\(outcome)",
                ])
        }
        guard case .stream(let produce) = response.body else {
            record("complete")
            return response
        }
        var wrapped = response
        wrapped.body = .stream { writer in
            do {
                try await produce(writer)
                record("complete")
            } catch {
                record(error is ClientDisconnected || error is CancellationError ? "client_closed" : "failed: \(error)")
                throw error
            }
        }
        return wrapped
    }

    /// The client's `X-Request-Id` when it is short and plain, else a fresh `req_<hex>`.
    static func requestID(from header: String?) -> String {
        if let header, (1...128).contains(header.count),
            header.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.:".contains($0)) })
        {
            return header
        }
        var rng = SystemRandomNumberGenerator()
        return "req_" + (0..<3).map { _ in String(rng.next() as UInt64, radix: 16) }.joined().prefix(24)
    }

    static func constantTimeEquals(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        var diff = UInt8(x.count == y.count ? 0 : 1)
        for i in 0..<max(x.count, y.count) {
            diff |= (i < x.count ? x[i] : 0) ^ (i < y.count ? y[i] : 0)
        }
        return diff == 0
    }
}
