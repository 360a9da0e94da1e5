/// Progress of a pull, delivered to the `progress` closure of `ModelStore.pull` and `ModelStore.resolve`.
public enum PullEvent: Sendable, Equatable {
    /// A one-line message (`waiting for another process pulling …`, `pulling realtime-0.5b (first start)`).
    case note(String)
    /// A file changed state or grew.
    case file(FileProgress)
}

/// One file of a pull.
public struct FileProgress: Sendable, Equatable {
    /// What the file is doing.
    public enum State: Sendable, Equatable {
        /// The download begins; `resumedFrom` bytes were already in the part file.
        case started(resumedFrom: Int64)
        /// More bytes arrived.
        case downloading
        /// The file is complete and its size and digest match.
        case verified
        /// The file was already complete; nothing was downloaded.
        case skipped
    }

    /// The repository or voice set (`microsoft/VibeVoice-Realtime-0.5B`, `voices/streaming_model`).
    public var component: String
    /// The file name.
    public var file: String
    /// Bytes on disk so far.
    public var bytes: Int64
    /// The file's full length.
    public var total: Int64
    /// The state.
    public var state: State

    /// Creates a progress value.
    public init(component: String, file: String, bytes: Int64, total: Int64, state: State) {
        self.component = component
        self.file = file
        self.bytes = bytes
        self.total = total
        self.state = state
    }
}
