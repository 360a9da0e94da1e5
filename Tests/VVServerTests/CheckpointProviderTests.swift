import Foundation
import Testing
import VVModelFiles
import VVPipelines

@testable import VVServer

@Suite struct CheckpointProviderTests {
    /// Records the folder it was given and serves the tone double.
    final class RecordingEngine: ModelEngine, @unchecked Sendable {
        var folder: ModelFolder?
        func load(_ folder: ModelFolder, configuration: ServerConfiguration) async throws -> LoadedPipeline {
            self.folder = folder
            return .speech(ToneSynthesizer())
        }
    }

    func makeModelsRoot() throws -> URL {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("vv-models-\(UUID().uuidString)")
        let model = root.appendingPathComponent("VibeVoice-Realtime-0.5B")
        let voices = root.appendingPathComponent("voices/streaming_model")
        try FileManager.default.createDirectory(at: model, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: voices, withIntermediateDirectories: true)
        try Data("{}".utf8).write(to: model.appendingPathComponent("config.json"))
        try Data([0]).write(to: model.appendingPathComponent("model.safetensors"))
        try Data("{}".utf8).write(to: model.appendingPathComponent("tokenizer.json"))
        try Data([1]).write(to: voices.appendingPathComponent("en-Carter_man.pt"))
        return root
    }

    @Test func predecessorLayoutUnderPathsModelsIsUsedWithoutNetwork() async throws {
        let root = try makeModelsRoot()
        var config = ServerConfiguration()
        config.paths.models = root.path
        let engine = RecordingEngine()
        let provider = CheckpointProvider(store: ModelStore(offline: true), engines: [.realtime: engine], allowDownload: false) { _ in }
        guard case .speech = try await provider.load(.realtime, configuration: config) else {
            Issue.record("expected a speech pipeline")
            return
        }
        let folder = try #require(engine.folder)
        #expect(folder.weights.standardizedFileURL == root.appendingPathComponent("VibeVoice-Realtime-0.5B").standardizedFileURL)
        #expect(folder.voiceDirectory?.lastPathComponent == "streaming_model")
    }

    @Test func explicitPathsWinOverPathsModels() {
        var config = ServerConfiguration()
        config.paths.models = "/models"
        config.models.asr.common.path = "/elsewhere/asr"
        config.paths.voices = "/voices"
        let asr = CheckpointProvider.paths(.asr, config)
        #expect(asr.model?.path == "/elsewhere/asr" && asr.voices == nil)
        let realtime = CheckpointProvider.paths(.realtime, config)
        #expect(realtime.voices?.path == "/voices")
        #expect(realtime.model == nil, "/models/VibeVoice-Realtime-0.5B does not exist here, so the cache is next")
    }

    @Test func missingEngineFailsBeforeAnyDownload() async throws {
        let provider = CheckpointProvider(store: ModelStore(offline: false), engines: [:], allowDownload: true) { _ in
            Issue.record("nothing may be downloaded for a model without an engine")
        }
        await #expect(throws: ModelLoadError.self) { _ = try await provider.load(.asr, configuration: ServerConfiguration()) }
    }

    @Test func unusableConfiguredFolderIsAnErrorNotADownload() async throws {
        var config = ServerConfiguration()
        config.models.realtime.common.path = FileManager.default.temporaryDirectory.appendingPathComponent("vv-empty-\(UUID())").path
        try FileManager.default.createDirectory(atPath: config.models.realtime.common.path ?? "", withIntermediateDirectories: true)
        let provider = CheckpointProvider(store: ModelStore(offline: true), engines: [.realtime: RecordingEngine()], allowDownload: true) { _ in }
        await #expect(throws: (any Error).self) { _ = try await provider.load(.realtime, configuration: config) }
    }
}
