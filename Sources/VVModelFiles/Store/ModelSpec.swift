import Foundation

/// A repository on the Hugging Face hub at a revision (branch, tag or commit).
public struct HubRepo: Sendable, Hashable, Codable, CustomStringConvertible {
    /// `owner/name`, for example `microsoft/VibeVoice-Realtime-0.5B`.
    public var id: String
    /// Branch, tag or commit; `main` unless pinned.
    public var revision: String

    /// Creates a repository reference.
    public init(_ id: String, revision: String = "main") {
        self.id = id
        self.revision = revision
    }

    /// The folder name inside the cache: `owner/name` as two path components.
    public var folderComponents: [String] { id.split(separator: "/").map(String.init) }

    /// `owner/name` (with `@revision` when not `main`).
    public var description: String { revision == "main" ? id : "\(id)@\(revision)" }
}

/// A file outside the hub, fetched by URL and checked against a pinned digest.
public struct PinnedFile: Sendable, Hashable, Codable {
    /// The name it gets on disk.
    public var name: String
    /// Its path below the set's base URL.
    public var path: String
    /// The digest its content must have.
    public var checksum: Checksum
    /// Its length in bytes when known (used for progress, the disk-space check and resume).
    public var size: Int64?

    /// Creates a pinned file.
    public init(name: String, path: String, checksum: Checksum, size: Int64?) {
        self.name = name
        self.path = path
        self.checksum = checksum
        self.size = size
    }
}

/// A set of voice files placed under `<voices>/<subfolder>/` (the predecessor's `VOICES_PATH` layout).
public struct VoiceSet: Sendable, Hashable {
    /// `streaming_model` (0.5B `.pt` presets) or `full_model` (1.5B `.wav` samples).
    public var subfolder: String
    /// Where the files come from, for messages (`github.com/microsoft/VibeVoice@<commit>`).
    public var source: String
    /// The URL that `PinnedFile.path` is relative to.
    public var baseURL: URL
    /// The files.
    public var files: [PinnedFile]

    /// Creates a voice set.
    public init(subfolder: String, source: String, baseURL: URL, files: [PinnedFile]) {
        self.subfolder = subfolder
        self.source = source
        self.baseURL = baseURL
        self.files = files
    }
}

/// Everything one model needs: its checkpoint repository, the tokenizer repository and, for TTS, its voices.
public struct ModelSpec: Sendable, Hashable {
    /// The canonical model name (`realtime-0.5b`).
    public var name: String
    /// The checkpoint: `config.json`, `preprocessor_config.json` when present, and the safetensors (one file, or the
    /// shards named by `model.safetensors.index.json`).
    public var weights: HubRepo
    /// The Qwen2.5 repository whose tokenizer the model uses.
    public var tokenizer: HubRepo
    /// Tokenizer files to fetch; the first is required, the rest are fetched when the repository has them.
    public var tokenizerFiles: [String]
    /// Voice files, if the model has shipped voices.
    public var voices: VoiceSet?

    /// Creates a specification.
    public init(name: String, weights: HubRepo, tokenizer: HubRepo, tokenizerFiles: [String] = ["tokenizer.json", "tokenizer_config.json"], voices: VoiceSet?) {
        self.name = name
        self.weights = weights
        self.tokenizer = tokenizer
        self.tokenizerFiles = tokenizerFiles
        self.voices = voices
    }
}
