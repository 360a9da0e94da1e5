/// `GET /health`, `/health/live`, `/health/ready`, `/metrics` and `/`.
struct HealthHandlers {
    let context: ServerContext
    static let version = "0.1.0"

    /// True when every enabled model is ready.
    var allReady: Bool {
        context.registry.enabled.allSatisfy { if case .ready = $0.state { true } else { false } }
    }

    /// The predecessor's fields (`status`, `services.stt`, `services.tts`), plus per-model detail; 503 until every
    /// enabled model is ready, so container health checks tell the truth.
    func health() -> ServerResponse {
        let registry = context.registry
        let states = context.registry.enabled.map(\.state)
        let failed = states.contains { if case .failed = $0 { true } else { false } }
        let status = allReady ? "healthy" : failed ? "error" : "loading"
        var models: [String: Any] = [:]
        for slot in registry.enabled {
            var entry: [String: Any] = ["status": slot.state.word]
            if case .failed(let why) = slot.state { entry["error"] = why }
            models[slot.id.rawValue] = entry
        }
        var body: [String: Any] = [
            "status": status, "version": Self.version,
            "services": [
                "stt": registry.slot(.asr).state.word,
                "tts": ["0.5b": registry.slot(.realtime).state.word, "1.5b": registry.slot(.tts15B).state.word],
            ],
            "models": models,
        ]
        if let device = context.device {
            var entry: [String: Any] = ["backend": device.kind]
            for (key, value) in device.details { entry[key] = value }
            if let why = device.fallbackReason { entry["gpu_unavailable"] = why }
            body["device"] = entry
        }
        return JSONOutput.response(body, status: allReady ? 200 : 503)
    }

    func live() -> ServerResponse { JSONOutput.response(["status": "ok"]) }

    func ready() -> ServerResponse {
        allReady ? JSONOutput.response(["status": "ok"]) : JSONOutput.response(["status": "loading model"], status: 503)
    }

    func root() -> ServerResponse {
        JSONOutput.response([
            "name": "VibeVoice OpenAI API Server", "version": Self.version, "status": "running",
            "endpoints": ["tts": "/v1/audio/speech", "stt": "/v1/audio/transcriptions", "health": "/health"],
        ])
    }

    func metrics() async -> ServerResponse {
        for slot in context.registry.slots.values {
            let ready = if case .ready = slot.state { true } else { false }
            context.metrics.setModelGauges(
                model: slot.id.rawValue, queueDepth: slot.executor.queueDepth, active: slot.executor.activeCount,
                ready: ready)
        }
        return .text(200, context.metrics.render(), contentType: "text/plain; version=0.0.4; charset=utf-8")
    }
}
