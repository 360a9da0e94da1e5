import Foundation
import VVModelFiles

/// Turns a model's files into a running pipeline. One engine per model kind arrives with that model's issue.
public protocol ModelEngine: Sendable {
    /// Loads the model from `folder` (checkpoint, tokenizer, voices) with the server's settings.
    func load(_ folder: ModelFolder, configuration: ServerConfiguration) async throws -> LoadedPipeline
}

/// The production `PipelineProvider`: finds each enabled model's files — the configured folders, else the cache,
/// else a download from the Hugging Face hub on first start (announced in the log) — and hands them to the model's
/// engine. A model without an engine in this build fails at once, before anything is downloaded.
public struct CheckpointProvider: PipelineProvider {
    /// Where models are cached and downloaded from.
    public let store: ModelStore
    /// The engines this build has, by model.
    public let engines: [ModelID: any ModelEngine]
    /// Whether a missing model may be downloaded (`server.download_models`).
    public let allowDownload: Bool
    /// Receives one line per notable step (downloads, progress milestones).
    public let log: @Sendable (String) -> Void

    /// Creates the provider.
    public init(
        store: ModelStore, engines: [ModelID: any ModelEngine], allowDownload: Bool, log: @escaping @Sendable (String) -> Void
    ) {
        self.store = store
        self.engines = engines
        self.allowDownload = allowDownload
        self.log = log
    }

    /// Resolves the files of `id` and loads them with its engine.
    public func load(_ id: ModelID, configuration: ServerConfiguration) async throws -> LoadedPipeline {
        guard let engine = engines[id] else {
            throw ModelLoadError("the \(id.displayName) engine is not part of this build yet")
        }
        let log = self.log
        let folder = try await store.resolve(
            Self.kind(id), configured: Self.paths(id, configuration), allowDownload: allowDownload,
            progress: { event in
                if case .note(let line) = event { log("\(id.rawValue): \(line)") }
            })
        return try await engine.load(folder, configuration: configuration)
    }

    /// The store's name for a model.
    static func kind(_ id: ModelID) -> ModelKind {
        switch id {
        case .realtime: .realtime05B
        case .tts15B: .tts15B
        case .asr: .asr
        }
    }

    /// The folders configured for `id`: its own `path`/`tokenizer` keys, else the model's Hugging Face folder name
    /// inside `paths.models` (the predecessor's `/models` mount); voices from `paths.voices`, else `paths.models/voices`.
    static func paths(_ id: ModelID, _ c: ServerConfiguration) -> ModelPaths {
        let common = ModelRegistry.common(id, c)
        let root = c.paths.models.map { URL(fileURLWithPath: $0, isDirectory: true) }
        func existing(_ url: URL?) -> URL? {
            var isDirectory: ObjCBool = false
            guard let url, FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory), isDirectory.boolValue
            else { return nil }
            return url
        }
        let repoName = String(id.huggingFaceRepo.split(separator: "/").last ?? "")
        let model = common.path.map { URL(fileURLWithPath: $0, isDirectory: true) } ?? existing(root?.appendingPathComponent(repoName))
        let tokenizer = common.tokenizer.map { URL(fileURLWithPath: $0, isDirectory: true) }
        let voices: URL? =
            id.task == .transcription
            ? nil : c.paths.voices.map { URL(fileURLWithPath: $0, isDirectory: true) } ?? existing(root?.appendingPathComponent("voices"))
        return ModelPaths(model: model, tokenizer: tokenizer, voices: voices)
    }
}
