import Foundation

/// Which files of a hub repository a pull takes.
struct HubSelection: Sendable {
    /// Files that must exist.
    var required: [String]
    /// Files taken when the repository has them.
    var optional: [String]
    /// Whether to take the safetensors (the index and its shards, or `model.safetensors`).
    var safetensors: Bool

    /// A model checkpoint: `config.json`, `preprocessor_config.json` if present, the safetensors.
    static let checkpoint = HubSelection(required: ["config.json"], optional: ["preprocessor_config.json"], safetensors: true)

    /// Tokenizer files: the first required, the rest optional.
    static func tokenizer(_ files: [String]) -> HubSelection {
        HubSelection(required: Array(files.prefix(1)), optional: Array(files.dropFirst()), safetensors: false)
    }
}

extension ModelStore {
    /// Brings the cache folder of `repo` up to date with `selection` and returns it.
    func pullRepository(
        _ repo: HubRepo, selection: HubSelection, progress: @escaping @Sendable (PullEvent) -> Void
    ) async throws -> URL {
        let folder = folder(for: repo)
        try StoreFiles.makeDirectory(folder)
        let lock = try await FileLock.acquire(lockURL("models-\(repo.id)")) {
            progress(.note("waiting for another vibevoice process pulling \(repo)"))
        }
        defer { lock.unlock() }
        let client = HubClient(endpoint: endpoint, token: token)
        let listing = try await client.listing(repo)
        let revision = listing?.commit ?? repo.revision
        let pull = FolderPull(folder: folder, component: repo.id, settings: settings, progress: progress)

        func remote(_ name: String) async throws -> RemoteFile? {
            let url = client.resolveURL(repo, revision: revision, file: name)
            guard let listing else { return try await client.metadata(url, name: name, repo: repo.id) }
            return listing.files[name].map { RemoteFile(name: name, url: url, checksum: $0.checksum, size: $0.size) }
        }
        func required(_ name: String) async throws -> RemoteFile {
            guard let file = try await remote(name) else {
                throw ModelStoreError.notFound(url: client.resolveURL(repo, revision: revision, file: name).absoluteString)
            }
            return file
        }

        var plan: [RemoteFile] = []
        for name in selection.required { plan.append(try await required(name)) }
        for name in selection.optional {
            if let file = try await remote(name) { plan.append(file) }
        }
        if selection.safetensors {
            if let index = try await remote("model.safetensors.index.json") {
                try pull.checkSpace([index])
                try await pull.ensure(index, client: client, repo: repo.id)
                plan.append(index)
                let data: Data
                do {
                    data = try Data(contentsOf: folder.appendingPathComponent(index.name))
                } catch {
                    throw ModelStoreError.fileSystem(path: folder.path, reason: error.localizedDescription)
                }
                for shard in try ShardIndex.shardNames(data) { plan.append(try await required(shard)) }
            } else {
                plan.append(try await required("model.safetensors"))
            }
        }
        try pull.checkSpace(plan)
        for file in plan { try await pull.ensure(file, client: client, repo: repo.id) }
        try pull.finish(source: repo.id, revision: repo.revision, commit: listing?.commit)
        return folder
    }

    /// Brings `voices/<subfolder>` up to date with the pinned files of `set` and returns it.
    func pullVoices(_ set: VoiceSet, progress: @escaping @Sendable (PullEvent) -> Void) async throws -> URL {
        let folder = voicesRoot.appendingPathComponent(set.subfolder, isDirectory: true)
        try StoreFiles.makeDirectory(folder)
        let lock = try await FileLock.acquire(lockURL("voices-\(set.subfolder)")) {
            progress(.note("waiting for another vibevoice process pulling voices/\(set.subfolder)"))
        }
        defer { lock.unlock() }
        let client = HubClient(endpoint: set.baseURL, token: nil)
        let component = "voices/\(set.subfolder)"
        let pull = FolderPull(folder: folder, component: component, settings: settings, progress: progress)
        var plan: [RemoteFile] = []
        for file in set.files {
            let url = set.baseURL.appendingPathComponent(file.path)
            var size = file.size
            if size == nil {
                let known = CompletionRecord.read(folder)?.entry(file.name)
                size = known?.checksum == file.checksum ? known?.size : try await client.contentLength(url, repo: set.source)
            }
            guard let size else {
                throw ModelStoreError.badResponse(url: url.absoluteString, reason: "no Content-Length")
            }
            plan.append(RemoteFile(name: file.name, url: url, checksum: file.checksum, size: size))
        }
        try pull.checkSpace(plan)
        for file in plan { try await pull.ensure(file, client: client, repo: set.source) }
        try pull.finish(source: set.source, revision: nil, commit: nil)
        return folder
    }
}

extension HubClient {
    /// The length of the file at `url` (HEAD, following redirects).
    func contentLength(_ url: URL, repo: String) async throws -> Int64? {
        let (_, response) = try await fetch(request(url, method: "HEAD"), followRedirects: true)
        if let error = HubClient.statusError(response, url: url, repo: repo, tokenSent: false) { throw error }
        return HeaderLookup(response)["Content-Length"].flatMap { Int64($0) }
    }
}
