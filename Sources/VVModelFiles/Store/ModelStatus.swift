import Foundation

/// The state of one part of a model in the cache.
public struct ComponentStatus: Sendable, Equatable {
    /// Completeness of a folder.
    public enum State: String, Sendable, Equatable {
        /// The completion record is present and every recorded file has its size.
        case complete
        /// Something is there (files, part files) but the folder is not complete.
        case partial
        /// Nothing is there.
        case absent
    }

    /// `weights`, `tokenizer` or `voices`.
    public var role: String
    /// Where it comes from (`microsoft/VibeVoice-Realtime-0.5B`, `github.com/microsoft/VibeVoice@…`).
    public var source: String
    /// Its folder.
    public var path: URL
    /// Its state.
    public var state: State
    /// Bytes on disk, part files included.
    public var bytes: Int64

    /// Creates a component status.
    public init(role: String, source: String, path: URL, state: State, bytes: Int64) {
        self.role = role
        self.source = source
        self.path = path
        self.state = state
        self.bytes = bytes
    }
}

/// One row of `ModelStore.list`: a model's cached parts and, if configured, its local folders.
public struct ModelStatus: Sendable, Equatable {
    /// The model.
    public var kind: ModelKind
    /// Its cached parts (weights, tokenizer, voices).
    public var components: [ComponentStatus]
    /// Local folders configured for it, if any.
    public var configured: ModelPaths?
    /// What the configured model folder lacks (empty if it is usable or none is configured).
    public var configuredMissing: [String]

    /// Creates a status row.
    public init(kind: ModelKind, components: [ComponentStatus], configured: ModelPaths?, configuredMissing: [String]) {
        self.kind = kind
        self.components = components
        self.configured = configured
        self.configuredMissing = configuredMissing
    }

    /// Whether every cached part is complete.
    public var isComplete: Bool { components.allSatisfy { $0.state == .complete } }

    /// Bytes on disk over all parts (a tokenizer shared by two models counts in both rows).
    public var bytes: Int64 { components.reduce(0) { $0 + $1.bytes } }
}
