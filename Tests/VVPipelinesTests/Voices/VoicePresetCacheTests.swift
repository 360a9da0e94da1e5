import Foundation
import Testing
import VVModelFiles

@testable import VVPipelines

@Suite("VoicePresetCache")
struct VoicePresetCacheTests {
    private static let tinyShape = VoicePresetShape(
        baseLayers: 2, ttsLayers: 3, kvHeads: 2, headDim: 4, hiddenSize: 8, dtype: .bfloat16)

    /// Counts loader calls across threads.
    private final class Calls: @unchecked Sendable {
        private let lock = NSLock()
        private var files: [String] = []
        func record(_ url: URL) { lock.withLock { files.append(url.lastPathComponent) } }
        var all: [String] { lock.withLock { files } }
    }

    private func catalog(_ folder: VoiceFolder, _ names: [String]) throws -> VoiceCatalog {
        let preset = try VoiceFolder.tinyPreset()
        for name in names { try folder.add("streaming_model/\(name).pt", contents: preset) }
        return try VoiceCatalog.scan(folder.url)
    }

    @Test("loads the real file through the torch reader and returns what a direct read gives")
    func realLoad() async throws {
        let folder = try VoiceFolder()
        let catalog = try catalog(folder, ["en-Tiny_man"])
        let cache = VoicePresetCache(catalog: catalog, shape: Self.tinyShape)
        let preset = try await cache.preset(for: "en-Tiny_man")
        let direct = try VoicePreset(contentsOf: try #require(catalog.streaming.first).file, shape: Self.tinyShape)
        #expect(preset == direct)
        #expect(preset.ttsLM.length == 5)
    }

    @Test("concurrent requests for one voice, under any spelling of its id, load it once")
    func loadOnce() async throws {
        let folder = try VoiceFolder()
        let calls = Calls()
        let cache = VoicePresetCache(catalog: try catalog(folder, ["en-Tiny_man"]), shape: Self.tinyShape) {
            url, shape in
            calls.record(url)
            Thread.sleep(forTimeInterval: 0.05)
            return try VoicePreset(contentsOf: url, shape: shape)
        }
        let results = try await withThrowingTaskGroup(of: VoicePreset.self) { group in
            for i in 0..<16 {
                group.addTask { try await cache.preset(for: i.isMultiple(of: 2) ? "en-Tiny_man" : "EN-tiny_MAN") }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(results.count == 16)
        #expect(Set(results.map(\.lm.length)) == [3])
        #expect(calls.all == ["en-Tiny_man.pt"])
        #expect(await cache.loadCount == 1)
        #expect(await cache.cachedVoiceIDs == ["en-Tiny_man"])
    }

    @Test("the least recently used preset is dropped past the capacity")
    func lru() async throws {
        let folder = try VoiceFolder()
        let calls = Calls()
        let cache = VoicePresetCache(
            catalog: try catalog(folder, ["a", "b", "c"]), capacity: 2, shape: Self.tinyShape
        ) { url, shape in
            calls.record(url)
            return try VoicePreset(contentsOf: url, shape: shape)
        }
        for id in ["a", "b", "a", "c"] { _ = try await cache.preset(for: id) }
        #expect(await cache.cachedVoiceIDs == ["a", "c"])
        _ = try await cache.preset(for: "a")
        _ = try await cache.preset(for: "b")
        #expect(calls.all == ["a.pt", "b.pt", "c.pt", "b.pt"])
        #expect(await cache.cachedVoiceIDs == ["a", "b"])
    }

    @Test("an unknown voice lists the available ones")
    func unknown() async throws {
        let folder = try VoiceFolder()
        let cache = VoicePresetCache(catalog: try catalog(folder, ["en-Tiny_man", "zh-Small_woman"]))
        await #expect(throws: VoiceError.unknownVoice("nova", available: ["en-Tiny_man", "zh-Small_woman"])) {
            _ = try await cache.preset(for: "nova")
        }
    }

    @Test("a preset of the wrong sizes fails with the reader's error, and failures are not cached")
    func failures() async throws {
        let folder = try VoiceFolder()
        let catalog = try catalog(folder, ["en-Tiny_man"])
        let file = try #require(catalog.streaming.first).file
        let cache = VoicePresetCache(catalog: catalog)  // expects the real 0.5B sizes
        let expected = VoiceError.presetUnreadable(
            voice: "en-Tiny_man", path: file.path,
            underlying: .invalidPreset(field: "lm.last_hidden_state", reason: "shape [1, 3, 8], expected [1, L, 896]"))
        await #expect(throws: expected) { _ = try await cache.preset(for: "en-Tiny_man") }
        await #expect(throws: expected) { _ = try await cache.preset(for: "en-Tiny_man") }
        #expect(await cache.loadCount == 2)
        #expect(await cache.cachedVoiceIDs.isEmpty)
    }
}
