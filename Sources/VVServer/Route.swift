/// The routes of the API, matched from method and path.
enum Route: Sendable {
    enum Endpoint: Sendable {
        case root, health, healthLive, healthReady, metrics
        case models, model(String), audioModels, voices
        case speech, transcriptions, translations

        /// Open without an API key: health and metrics always; the listings when configured.
        func isPublic(exemptListings: Bool) -> Bool {
            switch self {
            case .root, .health, .healthLive, .healthReady, .metrics: true
            case .models, .model, .audioModels, .voices: exemptListings
            case .speech, .transcriptions, .translations: false
            }
        }
    }

    case known(Endpoint)
    case methodNotAllowed(String)
    case notFound

    /// A low-cardinality label for logs and metrics.
    var label: String {
        switch self {
        case .notFound: "unmatched"
        case .methodNotAllowed: "method_not_allowed"
        case .known(let e):
            switch e {
            case .root: "/"
            case .health: "/health"
            case .healthLive: "/health/live"
            case .healthReady: "/health/ready"
            case .metrics: "/metrics"
            case .models: "/v1/models"
            case .model: "/v1/models/{id}"
            case .audioModels: "/v1/audio/models"
            case .voices: "/v1/audio/voices"
            case .speech: "/v1/audio/speech"
            case .transcriptions: "/v1/audio/transcriptions"
            case .translations: "/v1/audio/translations"
            }
        }
    }

    static func match(method: String, path rawPath: String) -> Route {
        let path = rawPath.count > 1 && rawPath.hasSuffix("/") ? String(rawPath.dropLast()) : rawPath
        let get: [String: Endpoint] = [
            "/": .root, "/health": .health, "/health/live": .healthLive, "/health/ready": .healthReady,
            "/metrics": .metrics, "/v1/models": .models, "/v1/audio/models": .audioModels, "/v1/audio/voices": .voices,
        ]
        let post: [String: Endpoint] = [
            "/v1/audio/speech": .speech, "/v1/audio/transcriptions": .transcriptions, "/v1/audio/translations": .translations,
        ]
        let isGet = method == "GET" || method == "HEAD"
        if let e = get[path] { return isGet || method == "OPTIONS" ? .known(e) : .methodNotAllowed("GET") }
        if let e = post[path] { return method == "POST" || method == "OPTIONS" ? .known(e) : .methodNotAllowed("POST") }
        if path.hasPrefix("/v1/models/") {
            let id = String(path.dropFirst("/v1/models/".count))
            guard !id.isEmpty else { return .notFound }
            return isGet || method == "OPTIONS" ? .known(.model(id)) : .methodNotAllowed("GET")
        }
        return .notFound
    }
}
