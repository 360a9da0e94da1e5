import Foundation
import VVPipelines

/// `GET /v1/models`, `GET /v1/models/{id}`, `GET /v1/audio/models`, `GET /v1/audio/voices`.
struct CatalogHandlers {
    let context: ServerContext
    /// A fixed creation time, as the predecessor reports (models have no real creation date here).
    static let created = 1_700_000_000

    func modelObject(_ id: ModelID) -> [String: Any] {
        [
            "id": id.rawValue, "object": "model", "created": Self.created, "owned_by": "microsoft",
            "root": id.huggingFaceRepo, "parent": NSNull(), "task": id.task == .speech ? "speech" : "transcription",
            "status": context.registry.slot(id).state.word,
        ]
    }

    /// Ready models only: a listed model can be used.
    var readyModels: [ModelID] {
        context.registry.enabled.filter { if case .ready = $0.state { true } else { false } }.map(\.id)
    }

    func listModels() -> ServerResponse {
        JSONOutput.response(["object": "list", "data": readyModels.map(modelObject)])
    }

    func model(named name: String) throws(APIError) -> ServerResponse {
        let lower = name.lowercased()
        let id = ModelID(rawValue: lower) ?? ModelID.allCases.first { $0.aliases.contains(lower) }
            ?? (lower == "tts-1-hd" ? (try? context.registry.resolve(lower, for: .speech)) : nil)
        guard let id, context.registry.slot(id).isEnabled else {
            throw APIError(status: 404, message: "The model '\(name)' does not exist on this server.", param: "model", code: "model_not_found")
        }
        return JSONOutput.response(modelObject(id))
    }

    func audioModels() -> ServerResponse {
        let speech = readyModels.filter { $0.task == .speech }
        return JSONOutput.response(["models": speech.map { ["id": $0.rawValue, "name": $0.displayName] }])
    }

    func voices(_ head: HTTPRequestHead) throws(APIError) -> ServerResponse {
        var models = readyModels.filter { $0.task == .speech }
        if let filter = head.queryValue("model"), !filter.isEmpty {
            let id = try context.registry.resolve(filter, for: .speech)
            models = models.filter { $0 == id }
        }
        var order: [String] = []
        var entries: [String: (voice: VoiceInfo, models: [String])] = [:]
        var defaultVoice: String?
        for id in models {
            guard case .ready(.speech(let synth)) = context.registry.slot(id).state else { continue }
            for v in synth.voices {
                if entries[v.id] == nil { order.append(v.id) }
                entries[v.id, default: (v, [])].models.append(id.rawValue)
            }
            if defaultVoice == nil {
                let settings = context.speechSettings(id)
                let resolver = VoiceResolver(voices: synth.voices, defaultVoice: settings.defaultVoice, strict: false)
                defaultVoice = (try? resolver.resolve(nil))?.voice.id
            }
        }
        let list: [[String: Any]] = order.compactMap { key in
            guard let e = entries[key] else { return nil }
            return [
                "id": e.voice.id, "voice_id": e.voice.id, "name": e.voice.name, "object": "voice",
                "language": e.voice.language as Any? ?? NSNull(), "gender": e.voice.gender as Any? ?? NSNull(),
                "models": e.models, "type": e.voice.type,
            ]
        }
        return JSONOutput.response([
            "object": "list", "data": list, "voices": list, "default_voice": defaultVoice as Any? ?? NSNull(),
        ])
    }
}
