import Foundation
import VVPipelines

/// The configured models, their states and executors, and the resolution of client model names.
public final class ModelRegistry: Sendable {
    /// One slot per known model, enabled or not.
    public let slots: [ModelID: ModelSlot]
    private let configuration: ServerConfiguration

    /// Creates slots from `configuration`: enabled models start `loading`, the others `disabled`.
    public init(configuration: ServerConfiguration) {
        self.configuration = configuration
        var slots: [ModelID: ModelSlot] = [:]
        for id in ModelID.allCases {
            let common = Self.common(id, configuration)
            let limits = ModelExecutor.Limits(
                maxConcurrent: 1, maxQueue: common.maxQueue, queueTimeout: .seconds(common.queueTimeoutSeconds))
            slots[id] = ModelSlot(id: id, state: common.enabled ? .loading : .disabled, limits: limits)
        }
        self.slots = slots
    }

    /// The settings every model has.
    static func common(_ id: ModelID, _ c: ServerConfiguration) -> ServerConfiguration.ModelCommon {
        switch id {
        case .realtime: c.models.realtime.common
        case .tts15B: c.models.tts15B.common
        case .asr: c.models.asr.common
        }
    }

    /// The slot of `id`.
    public func slot(_ id: ModelID) -> ModelSlot {
        // Every ModelID has a slot by construction.
        slots[id] ?? ModelSlot(id: id, state: .disabled, limits: .init())
    }

    /// Models that are enabled, in canonical order.
    public var enabled: [ModelSlot] { ModelID.allCases.map(slot).filter(\.isEnabled) }

    /// Loads every enabled model with `provider`, concurrently; failures become `failed` states.
    public func loadAll(with provider: any PipelineProvider, onChange: @escaping @Sendable (ModelSlot) -> Void) async {
        await withTaskGroup(of: Void.self) { group in
            for slot in enabled {
                let configuration = self.configuration
                group.addTask {
                    do {
                        slot.state = .ready(try await provider.load(slot.id, configuration: configuration))
                    } catch {
                        slot.state = .failed("\(error)")
                    }
                    onChange(slot)
                }
            }
        }
    }

    /// Resolves the model a client named for `task`. Returns the canonical id, or throws the OpenAI error to send.
    public func resolve(_ requested: String?, for task: ModelID.Task, param: String = "model") throws(APIError) -> ModelID {
        let name = (requested ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        var id: ModelID?
        if name.isEmpty {
            id = defaultModel(for: task)
        } else if let exact = ModelID(rawValue: name) {
            id = exact
        } else if name == "tts-1-hd" {
            id = tts1HD()
        } else {
            id = ModelID.allCases.first { $0.aliases.contains(name) }
        }
        guard var resolved = id ?? (configuration.server.strictModels ? nil : defaultModel(for: task)) else {
            throw APIError(
                status: 404, message: "The model '\(requested ?? "")' does not exist. Available: \(availableNames(task)).",
                param: param, code: "model_not_found")
        }
        if resolved.task != task {
            if configuration.server.strictModels || !name.isEmpty && ModelID(rawValue: name) != nil {
                throw APIError(
                    status: 400, message: "The model '\(resolved.rawValue)' cannot be used for this endpoint.",
                    param: param, code: "model_not_supported")
            }
            guard let fallback = defaultModel(for: task) else { throw notEnabled(task: task, requested: requested) }
            resolved = fallback
        }
        guard slot(resolved).isEnabled else {
            throw APIError(
                status: 404,
                message: "The model '\(resolved.rawValue)' is not enabled on this server; set models.\(resolved.configKey).enabled=true to serve it.",
                param: param, code: "model_not_found")
        }
        return resolved
    }

    private func notEnabled(task: ModelID.Task, requested: String?) -> APIError {
        let keys = ModelID.allCases.filter { $0.task == task }.map { "models.\($0.configKey).enabled" }
        return APIError(
            status: 404,
            message: "No \(task == .speech ? "speech" : "transcription") model is enabled on this server; set \(keys.joined(separator: " or "))=true.",
            param: "model", code: "model_not_found")
    }

    private func defaultModel(for task: ModelID.Task) -> ModelID? {
        switch task {
        case .speech: [ModelID.realtime, .tts15B].first { slot($0).isEnabled } ?? .realtime
        case .transcription: .asr
        }
    }

    private func tts1HD() -> ModelID {
        switch configuration.server.tts1HDModel {
        case "vibevoice-1.5b": .tts15B
        case "vibevoice-realtime": .realtime
        default: slot(.tts15B).isEnabled ? .tts15B : .realtime
        }
    }

    private func availableNames(_ task: ModelID.Task) -> String {
        let names = enabled.filter { $0.id.task == task }.map(\.id.rawValue)
        return names.isEmpty ? "none enabled" : names.joined(separator: ", ")
    }
}
