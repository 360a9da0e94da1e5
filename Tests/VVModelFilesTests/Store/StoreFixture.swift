import Foundation
@testable import VVModelFiles

#if canImport(Glibc) || canImport(Darwin)

/// A tiny model served by `HubTestServer`: a two-shard checkpoint, a tokenizer and two voice presets, all random bytes
/// made here, plus a store whose cache is a fresh temporary folder.
struct StoreFixture {
    static let weightsRepo = "test/VibeVoice-Tiny"
    static let tokenizerRepo = "test/Qwen2.5-Tiny"
    static let shards = ["model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors"]

    let server: HubTestServer
    let cache: URL
    let weights: [String: [UInt8]]
    let tokenizer: [String: [UInt8]]
    let voices: [String: [UInt8]]

    init(gatedToken: String? = nil, shardSizes: [Int] = [300_000, 200_000]) throws {
        var random = SeededBytes(seed: 7)
        let index = """
            {"metadata": {"total_size": \(shardSizes.reduce(0, +))},
             "weight_map": {"model.a.weight": "\(Self.shards[0])", "model.b.weight": "\(Self.shards[1])",
                            "model.c.weight": "\(Self.shards[0])"}}
            """
        var weights: [String: [UInt8]] = [
            "config.json": Array(#"{"model_type": "vibevoice_streaming"}"#.utf8),
            "preprocessor_config.json": Array(#"{"language_model_pretrained_name": "test/Qwen2.5-Tiny"}"#.utf8),
            "model.safetensors.index.json": Array(index.utf8),
            "README.md": Array("not pulled".utf8),
        ]
        for (name, size) in zip(Self.shards, shardSizes) { weights[name] = random.bytes(size) }
        let tokenizer: [String: [UInt8]] = [
            "tokenizer.json": Array(#"{"version": "1.0", "model": {"type": "BPE"}}"#.utf8) + random.bytes(5000).map { 97 + $0 % 26 },
            "tokenizer_config.json": Array(#"{"tokenizer_class": "Qwen2Tokenizer"}"#.utf8),
        ]
        let voices = ["en-Test_man.pt": random.bytes(40_000), "en-Test_woman.pt": random.bytes(30_000)]
        var raw: [String: [UInt8]] = [:]
        for (name, bytes) in voices { raw["voices/\(name)"] = bytes }
        server = try HubTestServer(
            repos: [
                Self.weightsRepo: HubTestServer.Repo(files: weights, lfs: Set(Self.shards), gatedToken: gatedToken),
                Self.tokenizerRepo: HubTestServer.Repo(files: tokenizer, lfs: ["tokenizer.json"]),
            ], raw: raw)
        cache = FileManager.default.temporaryDirectory.appendingPathComponent("vv-store-\(UUID().uuidString)")
        self.weights = weights
        self.tokenizer = tokenizer
        self.voices = voices
    }

    /// The specification of the served model, standing in for the built-in `realtime-0.5b`.
    var spec: ModelSpec {
        let files = voices.keys.sorted().map { name -> PinnedFile in
            var hasher = SHA1.gitBlob(length: Int64(voices[name]!.count))
            hasher.update(voices[name]!)
            return PinnedFile(name: name, path: name, checksum: .gitBlobSHA1(hasher.finalizeHex()), size: name.hasSuffix("man.pt") ? nil : Int64(voices[name]!.count))
        }
        return ModelSpec(
            name: "realtime-0.5b", weights: HubRepo(Self.weightsRepo), tokenizer: HubRepo(Self.tokenizerRepo),
            voices: VoiceSet(subfolder: "streaming_model", source: "test voices", baseURL: server.rawBase.appendingPathComponent("voices"), files: files))
    }

    /// A store on the fixture's cache and server, with instant retries.
    func store(token: String? = nil, maxAttempts: Int = 3) -> ModelStore {
        var store = ModelStore(cacheDirectory: cache, endpoint: server.endpoint, token: token)
        store.specOverrides = [.realtime05B: spec]
        store.retryDelay = .zero
        store.maxAttempts = maxAttempts
        return store
    }

    /// The folder of the weights in the cache.
    var weightsFolder: URL { cache.appendingPathComponent("models/\(Self.weightsRepo)") }

    /// CDN GETs of `file` so far.
    func downloads(of file: String) -> [HubTestServer.Logged] {
        server.requests.filter { $0.method == "GET" && $0.path.hasSuffix("/\(file)") && ($0.onCDN || $0.path.hasPrefix("/raw/")) }
    }

    /// Reads a cached file.
    func cached(_ relative: String) -> [UInt8]? {
        (try? Data(contentsOf: cache.appendingPathComponent(relative))).map(Array.init)
    }

    func tearDown() {
        server.stop()
        try? FileManager.default.removeItem(at: cache)
    }
}

/// Collects pull events.
final class EventLog: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [PullEvent] = []
    var handler: @Sendable (PullEvent) -> Void { { [self] event in lock.withLock { stored.append(event) } } }
    var events: [PullEvent] { lock.withLock { stored } }
    var notes: [String] { events.compactMap { if case .note(let text) = $0 { text } else { nil } } }
    func states(_ file: String) -> [FileProgress.State] {
        events.compactMap { if case .file(let p) = $0, p.file == file { p.state } else { nil } }
    }
}

#endif
