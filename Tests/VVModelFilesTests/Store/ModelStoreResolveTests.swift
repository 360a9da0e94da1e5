import Foundation
import Testing
@testable import VVModelFiles

#if canImport(Glibc) || canImport(Darwin)

@Suite(.serialized) struct ModelStoreResolveTests {
    /// The predecessor's layout: `models/VibeVoice-Realtime-0.5B/` (no tokenizer) and `models/voices/streaming_model/`.
    static func predecessorLayout(_ root: URL) throws -> (model: URL, voices: URL) {
        let model = root.appendingPathComponent("models/VibeVoice-Realtime-0.5B")
        let voices = root.appendingPathComponent("models/voices")
        try FileManager.default.createDirectory(at: model, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: voices.appendingPathComponent("streaming_model"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: voices.appendingPathComponent("full_model"), withIntermediateDirectories: true)
        try Data(#"{"model_type": "vibevoice_streaming"}"#.utf8).write(to: model.appendingPathComponent("config.json"))
        try Data([1, 2, 3]).write(to: model.appendingPathComponent("model.safetensors"))
        try Data([4]).write(to: voices.appendingPathComponent("streaming_model/en-Carter_man.pt"))
        try Data([5]).write(to: voices.appendingPathComponent("full_model/en-Alice_woman.wav"))
        return (model, voices)
    }

    @Test func configuredPredecessorFoldersAreUsedAsIsAndOnlyTheTokenizerIsFetched() async throws {
        let fixture = try StoreFixture()
        defer { fixture.tearDown() }
        let layout = try Self.predecessorLayout(fixture.cache.appendingPathComponent("user"))
        let log = EventLog()
        let folder = try await fixture.store().resolve(
            .realtime05B, configured: ModelPaths(model: layout.model, voices: layout.voices), progress: log.handler)
        #expect(folder.weights == layout.model)
        #expect(folder.voices == layout.voices)
        #expect(folder.voiceDirectory?.lastPathComponent == "streaming_model")
        #expect(folder.tokenizer.path == fixture.cache.appendingPathComponent("models/\(StoreFixture.tokenizerRepo)").path)
        let touched = Set(fixture.server.requests.map(\.path))
        #expect(!touched.contains { $0.contains(StoreFixture.weightsRepo) || $0.hasPrefix("/raw/") })
        #expect(log.notes.contains { $0.contains("tokenizer") })
        // Nothing was written into the user's folder.
        #expect(try FileManager.default.contentsOfDirectory(atPath: layout.model.path).sorted() == ["config.json", "model.safetensors"])
    }

    @Test func configuredFolderThatIsNotAModelIsRefusedNotDownloadedInto() async throws {
        let fixture = try StoreFixture()
        defer { fixture.tearDown() }
        let empty = fixture.cache.appendingPathComponent("empty")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        try Data("{}".utf8).write(to: empty.appendingPathComponent("model.safetensors.index.json"))
        do {
            _ = try await fixture.store().resolve(.realtime05B, configured: ModelPaths(model: empty))
            Issue.record("an empty folder was accepted")
        } catch let error as ModelStoreError {
            #expect(error == .incompleteFolder(path: empty.path, missing: ["config.json", "a readable model.safetensors.index.json"]))
        }
        #expect(fixture.server.requests.isEmpty)
    }

    @Test func unconfiguredModelIsPulledOnFirstStartOnlyWhenAllowed() async throws {
        let fixture = try StoreFixture()
        defer { fixture.tearDown() }
        let store = fixture.store()
        await #expect(throws: ModelStoreError.notCached(model: "realtime-0.5b")) {
            try await store.resolve(.realtime05B, allowDownload: false)
        }
        #expect(fixture.server.requests.isEmpty)
        let log = EventLog()
        let pulled = try await store.resolve(.realtime05B, progress: log.handler)
        #expect(log.notes.first?.contains("first start") == true)
        #expect(pulled == store.locate(.realtime05B))
        // Second start: everything is cached, the network is not used at all.
        let before = fixture.server.requests.count
        let again = try await store.resolve(.realtime05B, allowDownload: false)
        #expect(again == pulled)
        #expect(fixture.server.requests.count == before)
    }

    @Test func completePartFileIsVerifiedWithoutDownloadingAgain() async throws {
        let fixture = try StoreFixture()
        defer { fixture.tearDown() }
        let shard = StoreFixture.shards[0]
        let bytes = try #require(fixture.weights[shard])
        let partial = fixture.weightsFolder.appendingPathComponent(".partial")
        try FileManager.default.createDirectory(at: partial, withIntermediateDirectories: true)
        let sha = SHA256.hex(bytes)
        try Data(bytes).write(to: partial.appendingPathComponent("\(shard).\(sha.prefix(16)).part"))
        _ = try await fixture.store().pull(.realtime05B)
        #expect(fixture.downloads(of: shard).isEmpty)
        #expect(fixture.cached("models/\(StoreFixture.weightsRepo)/\(shard)") == bytes)
    }

    @Test func corruptPartFileIsDiscardedAndTheFileFetchedWhole() async throws {
        let fixture = try StoreFixture()
        defer { fixture.tearDown() }
        let shard = StoreFixture.shards[0]
        let bytes = try #require(fixture.weights[shard])
        let partial = fixture.weightsFolder.appendingPathComponent(".partial")
        try FileManager.default.createDirectory(at: partial, withIntermediateDirectories: true)
        var wrong = Array(bytes.prefix(1000))
        wrong[10] ^= 0x55
        try Data(wrong).write(to: partial.appendingPathComponent("\(shard).\(SHA256.hex(bytes).prefix(16)).part"))
        let log = EventLog()
        _ = try await fixture.store().pull(.realtime05B, progress: log.handler)
        #expect(fixture.downloads(of: shard).map(\.range) == ["bytes=1000-", nil])
        #expect(fixture.cached("models/\(StoreFixture.weightsRepo)/\(shard)") == bytes)
        #expect(log.notes.contains { $0.contains("failed verification") })
    }

    @Test func removeDeletesTheModelAndKeepsASharedTokenizer() async throws {
        let fixture = try StoreFixture()
        defer { fixture.tearDown() }
        var store = fixture.store()
        var asr = fixture.spec
        asr.name = "asr"
        asr.voices = nil
        _ = try await store.pull(.realtime05B)
        // A second model that shares the tokenizer and whose checkpoint folder is present.
        asr.weights = HubRepo("test/Other")
        try FileManager.default.createDirectory(at: store.folder(for: asr.weights), withIntermediateDirectories: true)
        store.specOverrides[.asr] = asr
        let freed = try await store.remove(.realtime05B)
        #expect(freed > 500_000)
        #expect(!FileManager.default.fileExists(atPath: fixture.weightsFolder.path))
        #expect(!FileManager.default.fileExists(atPath: fixture.cache.appendingPathComponent("voices/streaming_model").path))
        #expect(FileManager.default.fileExists(atPath: fixture.cache.appendingPathComponent("models/\(StoreFixture.tokenizerRepo)/tokenizer.json").path))
        #expect(store.locate(.realtime05B) == nil)
        #expect(store.list().first { $0.kind == .realtime05B }?.components.first?.state == .absent)
    }
}

#endif

#if canImport(Glibc) || canImport(Darwin)

@Suite(.serialized) struct ModelStoreVerifyTests {
    @Test func verifyFindsAFileChangedAfterDownload() async throws {
        let fixture = try StoreFixture()
        defer { fixture.tearDown() }
        let store = fixture.store()
        _ = try await store.pull(.realtime05B)
        #expect(try await store.verify(.realtime05B).allSatisfy(\.isIntact))
        let shard = fixture.weightsFolder.appendingPathComponent(StoreFixture.shards[1])
        var bytes = try Array(Data(contentsOf: shard))
        bytes[5] ^= 1
        try Data(bytes).write(to: shard)
        let checks = try await store.verify(.realtime05B)
        let expectedCount = 5 + 2 + 2
        #expect(checks.count == expectedCount)
        #expect(checks.filter { !$0.isIntact }.map(\.path.lastPathComponent) == [StoreFixture.shards[1]])
    }
}

#endif

#if canImport(Glibc) || canImport(Darwin)

@Suite(.serialized) struct TokenizerChoiceTests {
    @Test func theCheckpointsPreprocessorConfigNamesTheTokenizerRepository() async throws {
        let fixture = try StoreFixture()
        defer { fixture.tearDown() }
        var store = fixture.store()
        var spec = fixture.spec
        spec.tokenizer = HubRepo("test/NotServed")
        store.specOverrides[.realtime05B] = spec
        let folder = try await store.pull(.realtime05B)
        #expect(folder.tokenizer.path == fixture.cache.appendingPathComponent("models/\(StoreFixture.tokenizerRepo)").path)
        #expect(store.locate(.realtime05B) == folder)
        #expect(!fixture.server.requests.contains { $0.path.contains("NotServed") })
    }

    @Test func repoIDsAreValidatedBeforeUse() {
        #expect(ModelStore.isRepoID("Qwen/Qwen2.5-7B"))
        for bad in ["Qwen2.5-7B", "../x", "a/b/c", "a/..", "a/b c", "/a"] { #expect(!ModelStore.isRepoID(bad), "\(bad)") }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vv-pp-\(UUID().uuidString)")
        #expect(ModelStore.tokenizerRepo(forCheckpoint: folder, fallback: HubRepo("Qwen/Qwen2.5-1.5B")) == HubRepo("Qwen/Qwen2.5-1.5B"))
    }
}

#endif
