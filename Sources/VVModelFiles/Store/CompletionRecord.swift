import Foundation

/// The marker that makes a cache folder complete: written last, after every file was verified.
///
/// A folder without it (or whose files no longer have the recorded sizes) is never treated as complete, so a pull that
/// stopped half way can never be mistaken for a usable model.
struct CompletionRecord: Codable, Sendable, Equatable {
    /// The marker's file name inside the folder.
    static let fileName = ".vibevoice-complete.json"

    /// One verified file.
    struct Entry: Codable, Sendable, Equatable {
        /// Name inside the folder.
        var name: String
        /// Length in bytes.
        var size: Int64
        /// The digest it was verified against.
        var checksum: Checksum
    }

    /// Where the files came from (`microsoft/VibeVoice-Realtime-0.5B`, or a voices source).
    var source: String
    /// The revision asked for.
    var revision: String?
    /// The commit the files were taken from, when the server said.
    var commit: String?
    /// The files.
    var files: [Entry]
    /// When the folder was completed.
    var completed: Date

    /// The entry for `name`.
    func entry(_ name: String) -> Entry? { files.first { $0.name == name } }

    /// The total of the recorded sizes.
    var totalBytes: Int64 { files.reduce(0) { $0 + $1.size } }

    /// Reads the marker of `folder`, if any.
    static func read(_ folder: URL) -> CompletionRecord? {
        guard let data = try? Data(contentsOf: folder.appendingPathComponent(fileName)) else { return nil }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return try? decoder.decode(CompletionRecord.self, from: data)
    }

    /// Whether every recorded file is present with its recorded size (a cheap check: no hashing).
    func isIntact(in folder: URL) -> Bool {
        files.allSatisfy { StoreFiles.size(of: folder.appendingPathComponent($0.name)) == $0.size }
    }

    /// Writes the marker atomically (temporary file, then rename).
    func write(to folder: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        let target = folder.appendingPathComponent(CompletionRecord.fileName)
        do {
            let data = try encoder.encode(self)
            let temporary = folder.appendingPathComponent(".\(CompletionRecord.fileName).\(UUID().uuidString).tmp")
            try data.write(to: temporary)
            try StoreFiles.replace(temporary, with: target)
        } catch let error as ModelStoreError {
            throw error
        } catch {
            throw ModelStoreError.fileSystem(path: target.path, reason: error.localizedDescription)
        }
    }

    /// Deletes the marker of `folder` (the folder is then incomplete until a new marker is written).
    static func remove(from folder: URL) throws {
        let target = folder.appendingPathComponent(fileName)
        guard FileManager.default.fileExists(atPath: target.path) else { return }
        do {
            try FileManager.default.removeItem(at: target)
        } catch {
            throw ModelStoreError.fileSystem(path: target.path, reason: error.localizedDescription)
        }
    }
}
