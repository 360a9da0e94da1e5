import Foundation

extension ModelStore {
    /// The cache state of every known model, with the configured folders of `configured` checked too.
    public func list(configured: [ModelKind: ModelPaths] = [:]) -> [ModelStatus] {
        ModelKind.allCases.map { kind in
            let spec = spec(for: kind)
            var components = [
                status(role: "weights", source: spec.weights.description, folder: folder(for: spec.weights)),
                status(role: "tokenizer", source: effectiveTokenizer(spec).description, folder: folder(for: effectiveTokenizer(spec))),
            ]
            if let set = spec.voices {
                components.append(status(role: "voices", source: set.source, folder: voicesRoot.appendingPathComponent(set.subfolder, isDirectory: true)))
            }
            let paths = configured[kind].flatMap { $0.isEmpty ? nil : $0 }
            let missing = paths?.model.map { ModelFolder.missingWeights(in: $0) } ?? []
            return ModelStatus(kind: kind, components: components, configured: paths, configuredMissing: missing)
        }
    }

    private func status(role: String, source: String, folder: URL) -> ComponentStatus {
        let bytes = StoreFiles.treeSize(folder)
        let state: ComponentStatus.State
        if completeFolder(folder) != nil {
            state = .complete
        } else {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
            state = names.isEmpty ? .absent : .partial
        }
        return ComponentStatus(role: role, source: source, path: folder, state: state, bytes: bytes)
    }

    /// Deletes the cached files of `kind` (complete or not) and returns the bytes freed.
    ///
    /// The checkpoint and the voices go; the tokenizer goes too unless another model whose checkpoint is still cached
    /// uses the same tokenizer repository. Waits for a pull of the same folder in another process to end first.
    @discardableResult
    public func remove(_ kind: ModelKind, progress: @escaping @Sendable (PullEvent) -> Void = { _ in }) async throws -> Int64 {
        let spec = spec(for: kind)
        var freed: Int64 = 0
        let tokenizer = effectiveTokenizer(spec)
        let sharedTokenizer = ModelKind.allCases.contains { other in
            let otherSpec = self.spec(for: other)
            return other != kind && effectiveTokenizer(otherSpec) == tokenizer
                && FileManager.default.fileExists(atPath: folder(for: otherSpec.weights).path)
        }
        freed += try await removeFolder(folder(for: spec.weights), lock: "models-\(spec.weights.id)", progress: progress)
        if let set = spec.voices {
            freed += try await removeFolder(
                voicesRoot.appendingPathComponent(set.subfolder, isDirectory: true), lock: "voices-\(set.subfolder)", progress: progress)
        }
        if !sharedTokenizer {
            freed += try await removeFolder(folder(for: tokenizer), lock: "models-\(tokenizer.id)", progress: progress)
        }
        return freed
    }

    private func removeFolder(_ folder: URL, lock name: String, progress: @escaping @Sendable (PullEvent) -> Void) async throws -> Int64 {
        guard FileManager.default.fileExists(atPath: folder.path) else { return 0 }
        let lock = try await FileLock.acquire(lockURL(name)) {
            progress(.note("waiting for another vibevoice process using \(folder.path)"))
        }
        defer { lock.unlock() }
        let bytes = StoreFiles.treeSize(folder)
        // The marker goes first, so a folder that fails to delete half way is never seen as complete.
        try CompletionRecord.remove(from: folder)
        try StoreFiles.remove(folder)
        return bytes
    }

    /// Finds or fetches what `kind` needs, part by part: a configured folder, else the cache, else a download when
    /// `allowDownload` is true (and the store is not offline). The server calls this at start with the paths from its
    /// configuration; each part that must be downloaded is announced with a `.note` first.
    ///
    /// - A configured model folder must be usable (`ModelFolder.missingWeights` empty) or this throws
    ///   `incompleteFolder`: nothing is ever downloaded into a user's folder.
    /// - The tokenizer is the configured one, else `tokenizer.json` in the model folder, else the cache, else pulled.
    /// - Voices are the configured folder (`VOICES_PATH` layout or a flat folder of `.pt`/`.wav`), else a `voices/`
    ///   folder inside the model folder, else the cache, else pulled.
    public func resolve(
        _ kind: ModelKind, configured: ModelPaths = ModelPaths(), allowDownload: Bool = true,
        progress: @escaping @Sendable (PullEvent) -> Void = { _ in }
    ) async throws -> ModelFolder {
        let spec = spec(for: kind)
        let mayDownload = allowDownload && !offline
        func unavailable() -> ModelStoreError { offline ? .offline(model: spec.name) : .notCached(model: spec.name) }

        let weights: URL
        if let configuredModel = configured.model {
            let missing = ModelFolder.missingWeights(in: configuredModel)
            guard missing.isEmpty else { throw ModelStoreError.incompleteFolder(path: configuredModel.path, missing: missing) }
            weights = configuredModel
        } else if let cached = completeFolder(folder(for: spec.weights)) {
            weights = cached
        } else if mayDownload {
            progress(.note("\(spec.name): \(spec.weights) is not in \(cacheDirectory.path); downloading it from \(endpoint.absoluteString) (first start)"))
            weights = try await pullRepository(spec.weights, selection: .checkpoint, progress: progress)
        } else {
            throw unavailable()
        }

        let tokenizerRepo = ModelStore.tokenizerRepo(forCheckpoint: weights, fallback: spec.tokenizer)
        let tokenizer: URL
        if let configuredTokenizer = configured.tokenizer {
            guard ModelFolder.hasTokenizer(configuredTokenizer) else {
                throw ModelStoreError.incompleteFolder(path: configuredTokenizer.path, missing: ["tokenizer.json"])
            }
            tokenizer = configuredTokenizer
        } else if ModelFolder.hasTokenizer(weights) {
            tokenizer = weights
        } else if let cached = completeFolder(folder(for: tokenizerRepo)) {
            tokenizer = cached
        } else if mayDownload {
            progress(.note("\(spec.name): downloading the tokenizer from \(tokenizerRepo)"))
            tokenizer = try await pullRepository(tokenizerRepo, selection: .tokenizer(spec.tokenizerFiles), progress: progress)
        } else {
            throw unavailable()
        }

        var voices: URL?
        if let set = spec.voices {
            let inModel = weights.appendingPathComponent("voices")
            if let configuredVoices = configured.voices {
                guard ModelFolder.hasVoices(configuredVoices, subfolder: set.subfolder) else {
                    throw ModelStoreError.incompleteFolder(path: configuredVoices.path, missing: ["\(set.subfolder)/ voice files"])
                }
                voices = configuredVoices
            } else if ModelFolder.hasVoices(inModel, subfolder: set.subfolder) {
                voices = inModel
            } else if completeFolder(voicesRoot.appendingPathComponent(set.subfolder, isDirectory: true)) != nil {
                voices = voicesRoot
            } else if mayDownload {
                progress(.note("\(spec.name): downloading \(set.files.count) voices from \(set.source)"))
                _ = try await pullVoices(set, progress: progress)
                voices = voicesRoot
            } else {
                throw unavailable()
            }
        }
        return ModelFolder(model: spec.name, weights: weights, tokenizer: tokenizer, voices: voices, voiceSubfolder: spec.voices?.subfolder)
    }
}
