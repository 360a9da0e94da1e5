import Foundation
import VVModelFiles

/// Loads realtime voice presets on first use and keeps the most recently used ones in memory.
///
/// Keyed by the resolved voice id (the catalog entry's `info.id`), so `en-carter_man` and `en-Carter_man` share one
/// entry. Concurrent requests for a voice that is still loading wait for the same load; a preset is loaded once and
/// then shared read-only (`VoicePreset` is an immutable value). At most `capacity` presets stay cached; the least
/// recently used one is dropped first. A failed load is not cached, so a fixed file is picked up on the next request.
public actor VoicePresetCache {
    /// Reads one preset file; replaceable for tests.
    public typealias Loader = @Sendable (URL, VoicePresetShape) throws -> VoicePreset

    /// The voices that can be loaded.
    public let catalog: VoiceCatalog
    /// Most presets kept in memory (at least 1).
    public let capacity: Int
    /// The sizes every preset must have.
    public let shape: VoicePresetShape
    private let loader: Loader
    private var cached: [String: VoicePreset] = [:]
    /// Cached ids, least recently used first.
    private var order: [String] = []
    private var loading: [String: Task<VoicePreset, any Error>] = [:]
    /// Number of files read so far (loads, not cache hits).
    public private(set) var loadCount = 0

    /// Creates an empty cache over `catalog`.
    public init(
        catalog: VoiceCatalog, capacity: Int = 8, shape: VoicePresetShape = .realtime05B,
        loader: @escaping Loader = { url, shape in try VoicePreset(contentsOf: url, shape: shape) }
    ) {
        self.catalog = catalog
        self.capacity = max(1, capacity)
        self.shape = shape
        self.loader = loader
    }

    /// Ids currently cached, least recently used first.
    public var cachedVoiceIDs: [String] { order }

    /// The preset of voice `id` (as resolved by `VoiceResolver`), loading it if needed.
    public func preset(for id: String) async throws(VoiceError) -> VoicePreset {
        guard let entry = catalog.streamingEntry(id: id) else {
            throw .unknownVoice(id, available: catalog.streaming.map(\.info.id))
        }
        let key = entry.info.id
        if let preset = cached[key] {
            touch(key)
            return preset
        }
        let task: Task<VoicePreset, any Error>
        if let running = loading[key] {
            task = running
        } else {
            let loader = self.loader
            let shape = self.shape
            task = Task.detached { try loader(entry.file, shape) }
            loading[key] = task
            loadCount += 1
        }
        do {
            let preset = try await task.value
            if loading[key] == task { loading[key] = nil }
            if cached[key] == nil { insert(key, preset) }
            return preset
        } catch {
            if loading[key] == task { loading[key] = nil }
            let underlying =
                (error as? TorchFileError) ?? .unreadable(path: entry.file.path, reason: String(describing: error))
            throw .presetUnreadable(voice: key, path: entry.file.path, underlying: underlying)
        }
    }

    /// Drops every cached preset (loads in progress finish and are cached).
    public func removeAll() {
        cached.removeAll()
        order.removeAll()
    }

    private func touch(_ key: String) {
        if let index = order.firstIndex(of: key) { order.remove(at: index) }
        order.append(key)
    }

    private func insert(_ key: String, _ preset: VoicePreset) {
        cached[key] = preset
        touch(key)
        while order.count > capacity {
            cached[order.removeFirst()] = nil
        }
    }
}
