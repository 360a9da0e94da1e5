import Foundation

/// The result of re-hashing one cached file.
public struct FileCheck: Sendable, Equatable {
    /// The file.
    public var path: URL
    /// Its length.
    public var size: Int64
    /// The digest it was recorded with.
    public var expected: Checksum
    /// The digest it has now (nil if it could not be read or has the wrong size).
    public var actual: Checksum?

    /// Whether the file still matches its record.
    public var isIntact: Bool { actual == expected }
}

extension ModelStore {
    /// Re-hashes every cached file of `kind` against the digest it was verified with when downloaded.
    ///
    /// Reads everything (the ASR checkpoint is ~17 GB), so it is a command for people, never run at server start.
    /// Parts that are not complete are skipped; `list` reports them.
    public func verify(_ kind: ModelKind, onFile: @escaping @Sendable (FileCheck) -> Void = { _ in }) async throws -> [FileCheck] {
        let spec = spec(for: kind)
        var folders = [folder(for: spec.weights), folder(for: effectiveTokenizer(spec))]
        if let set = spec.voices { folders.append(voicesRoot.appendingPathComponent(set.subfolder, isDirectory: true)) }
        var results: [FileCheck] = []
        for folder in folders {
            guard let record = CompletionRecord.read(folder) else { continue }
            for entry in record.files {
                try Task.checkCancellation()
                let url = folder.appendingPathComponent(entry.name)
                var check = FileCheck(path: url, size: entry.size, expected: entry.checksum, actual: nil)
                if StoreFiles.size(of: url) == entry.size { check.actual = try? FolderPull.hash(url, kind: entry.checksum, length: entry.size) }
                onFile(check)
                results.append(check)
            }
        }
        return results
    }
}
