import Foundation

/// Brings one cache folder up to date, file by file, under the folder's lock.
///
/// Each file is skipped when the previous completion record vouches for it (same digest, same size on disk), adopted
/// when it is present without a record and hashes right, and otherwise downloaded into `.partial/`, verified (size and
/// digest) and renamed into place. The folder's completion record is deleted before the first download and rewritten
/// by `finish` only after every file is verified.
final class FolderPull {
    /// Knobs shared with `ModelStore`.
    struct Settings: Sendable {
        var maxAttempts: Int
        var retryDelay: Duration
        var freeSpace: @Sendable (URL) -> Int64?
    }

    private let folder: URL
    private let component: String
    private let prior: CompletionRecord?
    private let settings: Settings
    private let progress: @Sendable (PullEvent) -> Void
    private var verified: [String: CompletionRecord.Entry] = [:]
    private var order: [String] = []
    private var recordRemoved = false

    /// Starts a pull into `folder`, which must already exist and be locked by the caller.
    init(folder: URL, component: String, settings: Settings, progress: @escaping @Sendable (PullEvent) -> Void) {
        self.folder = folder
        self.component = component
        self.prior = CompletionRecord.read(folder)
        self.settings = settings
        self.progress = progress
    }

    private var partialFolder: URL { folder.appendingPathComponent(".partial") }

    /// Whether the previous record vouches for `file` and the file still has its size.
    private func vouched(_ file: RemoteFile) -> Bool {
        guard let entry = prior?.entry(file.name), entry.checksum == file.checksum, entry.size == file.size else {
            return false
        }
        return StoreFiles.size(of: folder.appendingPathComponent(file.name)) == file.size
    }

    /// Fails with `diskFull` when the files still to fetch do not fit on the volume.
    func checkSpace(_ plan: [RemoteFile]) throws {
        var needed: Int64 = 0
        for file in plan where verified[file.name] == nil && !vouched(file) {
            let part = StoreFiles.size(of: partURL(file)) ?? 0
            needed += max(0, file.size - part)
        }
        guard needed > 0, let free = settings.freeSpace(folder) else { return }
        if needed > free { throw ModelStoreError.diskFull(path: folder.path, needed: needed, available: free) }
    }

    private func partURL(_ file: RemoteFile) -> URL {
        let safe = file.name.replacingOccurrences(of: "/", with: "_")
        return partialFolder.appendingPathComponent("\(safe).\(file.checksum.hex.prefix(16)).part")
    }

    /// Makes `file` present and verified in the folder.
    func ensure(_ file: RemoteFile, client: HubClient, repo: String) async throws {
        guard StoreFiles.isSafeName(file.name) else {
            throw ModelStoreError.badResponse(url: file.url.absoluteString, reason: "unsafe file name '\(file.name)'")
        }
        if verified[file.name] != nil { return }
        let target = folder.appendingPathComponent(file.name)
        let entry = CompletionRecord.Entry(name: file.name, size: file.size, checksum: file.checksum)
        if vouched(file) || (StoreFiles.size(of: target) == file.size && (try? hash(target, like: file)) == file.checksum) {
            record(entry)
            progress(.file(FileProgress(component: component, file: file.name, bytes: file.size, total: file.size, state: .skipped)))
            return
        }
        if !recordRemoved {
            try CompletionRecord.remove(from: folder)
            recordRemoved = true
        }
        try StoreFiles.makeDirectory(partialFolder)
        try await download(file, client: client, repo: repo)
        record(entry)
    }

    private func record(_ entry: CompletionRecord.Entry) {
        if verified[entry.name] == nil { order.append(entry.name) }
        verified[entry.name] = entry
    }

    private func download(_ file: RemoteFile, client: HubClient, repo: String) async throws {
        let part = partURL(file)
        let target = folder.appendingPathComponent(file.name)
        var attempt = 0
        var restarts = 0
        while true {
            attempt += 1
            let resumedFrom = StoreFiles.size(of: part) ?? 0
            let component = self.component
            let progress = self.progress
            progress(.file(FileProgress(component: component, file: file.name, bytes: resumedFrom, total: file.size,
                                        state: .started(resumedFrom: resumedFrom))))
            let transfer = FileTransfer(file: file, partURL: part, client: client, repo: repo) { bytes in
                progress(.file(FileProgress(component: component, file: file.name, bytes: bytes, total: file.size, state: .downloading)))
            }
            let outcome: FileTransfer.Outcome
            do {
                outcome = try await transfer.run()
            } catch ModelStoreError.unreachable(let host, let reason) where attempt < settings.maxAttempts {
                progress(.note("\(file.name): \(reason) talking to \(host); retrying (attempt \(attempt + 1) of \(settings.maxAttempts))"))
                try await pause(attempt)
                continue
            } catch let error as ModelStoreError {
                if case .checksumMismatch = error { try? StoreFiles.remove(part) }
                if case .sizeMismatch = error { try? StoreFiles.remove(part) }
                throw error
            }
            switch outcome {
            case .rangeNotSatisfiable:
                // The part file does not fit what the server holds: start it over, once.
                try StoreFiles.remove(part)
                restarts += 1
                if restarts > 1 {
                    throw ModelStoreError.badResponse(url: file.url.absoluteString, reason: "range requests keep failing")
                }
                continue
            case .finished(let bytes, let checksum):
                guard bytes == file.size else {
                    if attempt < settings.maxAttempts && bytes < file.size {
                        progress(.note("\(file.name): transfer ended early at \(bytes) of \(file.size) bytes; resuming"))
                        try await pause(attempt)
                        continue
                    }
                    try? StoreFiles.remove(part)
                    throw ModelStoreError.sizeMismatch(file: file.name, expected: file.size, actual: bytes)
                }
                guard checksum == file.checksum else {
                    try? StoreFiles.remove(part)
                    if resumedFrom > 0 && restarts == 0 {
                        // The bytes kept from an earlier try may be the bad ones: fetch the whole file once more.
                        restarts += 1
                        progress(.note("\(file.name): resumed download failed verification; downloading it again from the start"))
                        continue
                    }
                    throw ModelStoreError.checksumMismatch(file: file.name, expected: file.checksum, actual: checksum)
                }
                try StoreFiles.makeDirectory(target.deletingLastPathComponent())
                try StoreFiles.replace(part, with: target)
                progress(.file(FileProgress(component: component, file: file.name, bytes: bytes, total: file.size, state: .verified)))
                return
            }
        }
    }

    private func pause(_ attempt: Int) async throws {
        let factor = 1 << min(attempt - 1, 5)
        do {
            try await Task.sleep(for: settings.retryDelay * factor)
        } catch {
            throw ModelStoreError.cancelled
        }
    }

    /// Hashes an existing file the way `file` is published.
    private func hash(_ url: URL, like file: RemoteFile) throws -> Checksum {
        try FolderPull.hash(url, kind: file.checksum, length: file.size)
    }

    /// Hashes the file at `url` with the algorithm of `kind` (`length` is its expected length).
    static func hash(_ url: URL, kind: Checksum, length: Int64) throws -> Checksum {
        var hasher = ChecksumHasher(kind: kind, length: length)
        let reader = try FileHandle(forReadingFrom: url)
        defer { try? reader.close() }
        while let chunk = try reader.read(upToCount: 4 << 20), !chunk.isEmpty {
            chunk.withUnsafeBytes { hasher.update($0.bindMemory(to: UInt8.self)) }
        }
        return hasher.finalize()
    }

    /// Writes the completion record for everything verified, and drops the empty `.partial/` folder.
    func finish(source: String, revision: String?, commit: String?) throws {
        let record = CompletionRecord(
            source: source, revision: revision, commit: commit,
            files: order.compactMap { verified[$0] }, completed: Date())
        if recordRemoved || prior?.files != record.files || prior?.commit != commit {
            try record.write(to: folder)
        }
        if let left = try? FileManager.default.contentsOfDirectory(atPath: partialFolder.path), left.isEmpty {
            try? FileManager.default.removeItem(at: partialFolder)
        }
    }
}
