import Foundation

/// Downloads, verifies, finds and removes the files each model needs, in a cache folder.
///
/// Layout of `cacheDirectory`:
/// ```
/// models/<owner>/<name>/      one folder per hub repository, in the hub's own file layout
/// voices/streaming_model/     0.5B presets (.pt)   — the predecessor's VOICES_PATH layout
/// voices/full_model/          1.5B samples (.wav)
/// locks/                      one lock file per folder
/// ```
/// A folder is complete only when its `.vibevoice-complete.json` marker is present and its files have the recorded
/// sizes; downloads go to `<folder>/.partial/` first. All methods are safe to call from several tasks and processes at
/// once: each folder is changed only under its file lock.
public struct ModelStore: Sendable {
    /// The cache root.
    public var cacheDirectory: URL
    /// The hub (`HF_ENDPOINT`).
    public var endpoint: URL
    /// The hub token (`HF_TOKEN`), sent only to `endpoint`'s host.
    public var token: String?
    /// Where voice files are fetched from (`VIBEVOICE_VOICES_ENDPOINT`, default GitHub's raw host).
    public var voicesEndpoint: URL?
    /// When true nothing is downloaded (`HF_HUB_OFFLINE`).
    public var offline: Bool
    /// Tries per file before a network error is reported (each try resumes where the last stopped).
    public var maxAttempts = 4
    /// The first retry's delay; each further retry doubles it.
    public var retryDelay: Duration = .seconds(1)
    /// Replaces the built-in specification of a model (tests, private mirrors).
    public var specOverrides: [ModelKind: ModelSpec] = [:]
    /// Free bytes at a path; replaceable to test the disk-space check.
    public var freeSpace: @Sendable (URL) -> Int64? = { StoreFiles.freeSpace($0) }

    /// The default hub.
    public static let defaultEndpoint = URL(string: "https://huggingface.co") ?? URL(fileURLWithPath: "/")

    /// Creates a store; nil arguments take the defaults (`defaultCacheDirectory`, `https://huggingface.co`).
    public init(
        cacheDirectory: URL? = nil, endpoint: URL? = nil, token: String? = nil, offline: Bool = false,
        voicesEndpoint: URL? = nil
    ) {
        self.cacheDirectory = (cacheDirectory ?? ModelStore.defaultCacheDirectory()).standardizedFileURL
        self.endpoint = endpoint ?? ModelStore.defaultEndpoint
        self.token = token
        self.offline = offline
        self.voicesEndpoint = voicesEndpoint
    }

    /// The specification used for `kind`.
    public func spec(for kind: ModelKind) -> ModelSpec {
        specOverrides[kind] ?? ModelSpec.builtin(kind, voicesEndpoint: voicesEndpoint)
    }

    /// The cache folder of a hub repository: `models/<owner>/<name>`.
    public func folder(for repo: HubRepo) -> URL {
        repo.folderComponents.reduce(cacheDirectory.appendingPathComponent("models", isDirectory: true)) {
            $0.appendingPathComponent($1, isDirectory: true)
        }
    }

    /// The voices root: `voices/` (holding `streaming_model/` and `full_model/`).
    public var voicesRoot: URL { cacheDirectory.appendingPathComponent("voices", isDirectory: true) }

    func lockURL(_ name: String) -> URL {
        let safe = String(name.map { $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" ? $0 : "_" })
        return cacheDirectory.appendingPathComponent("locks").appendingPathComponent("\(safe).lock")
    }

    var settings: FolderPull.Settings {
        FolderPull.Settings(maxAttempts: max(1, maxAttempts), retryDelay: retryDelay, freeSpace: freeSpace)
    }

    /// Downloads (or completes, or checks) everything `kind` needs and returns where it is.
    ///
    /// Contacts the hub even when the model is complete, to pick up a changed revision; files that did not change are
    /// not downloaded again. In offline mode returns the cached model or throws `offline`.
    public func pull(
        _ kind: ModelKind, progress: @escaping @Sendable (PullEvent) -> Void = { _ in }
    ) async throws -> ModelFolder {
        let spec = spec(for: kind)
        if offline {
            if let folder = locate(kind) { return folder }
            throw ModelStoreError.offline(model: spec.name)
        }
        let weights = try await pullRepository(spec.weights, selection: .checkpoint, progress: progress)
        // The checkpoint's preprocessor_config.json names its tokenizer, as upstream reads it; the spec is the fallback.
        let tokenizerRepo = ModelStore.tokenizerRepo(forCheckpoint: weights, fallback: spec.tokenizer)
        let tokenizer = try await pullRepository(tokenizerRepo, selection: .tokenizer(spec.tokenizerFiles), progress: progress)
        var voices: URL?
        if let set = spec.voices {
            _ = try await pullVoices(set, progress: progress)
            voices = voicesRoot
        }
        return ModelFolder(model: spec.name, weights: weights, tokenizer: tokenizer, voices: voices,
                           voiceSubfolder: spec.voices?.subfolder)
    }

    /// The cached model if every part of it is complete; never touches the network.
    public func locate(_ kind: ModelKind) -> ModelFolder? {
        let spec = spec(for: kind)
        guard let weights = completeFolder(folder(for: spec.weights)),
            let tokenizer = completeFolder(folder(for: effectiveTokenizer(spec)))
        else { return nil }
        if let set = spec.voices, completeFolder(voicesRoot.appendingPathComponent(set.subfolder, isDirectory: true)) == nil { return nil }
        return ModelFolder(model: spec.name, weights: weights, tokenizer: tokenizer,
                           voices: spec.voices == nil ? nil : voicesRoot, voiceSubfolder: spec.voices?.subfolder)
    }

    /// `folder` if its completion record is present and intact.
    func completeFolder(_ folder: URL) -> URL? {
        guard let record = CompletionRecord.read(folder), record.isIntact(in: folder) else { return nil }
        return folder
    }
}
