import Foundation

/// A Hugging Face checkpoint: one `model.safetensors` or shards listed by `model.safetensors.index.json`.
///
/// Every shard is mapped and validated at open. The index must agree with the shards exactly: each mapped name must
/// be in its shard, no name may be in two shards, and no shard may hold a name the index does not list.
public final class SafetensorsCheckpoint: TensorSource, @unchecked Sendable {
    /// The shards, in the order their file names sort.
    public let files: [SafetensorsFile]
    private let location: [String: Int]

    /// Opens a checkpoint from a directory (index first, else `model.safetensors`), an `*.index.json`, or one file.
    /// - Throws: `CheckpointError.notFound`, `.invalidIndex`, `.invalidSafetensors` or `.io`.
    public convenience init(path: String) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw CheckpointError.notFound(path: path)
        }
        if isDirectory.boolValue {
            let index = path + "/model.safetensors.index.json"
            if FileManager.default.fileExists(atPath: index) {
                try self.init(indexPath: index)
            } else if FileManager.default.fileExists(atPath: path + "/model.safetensors") {
                try self.init(files: [SafetensorsFile(path: path + "/model.safetensors")])
            } else {
                throw CheckpointError.notFound(path: path + "/model.safetensors")
            }
        } else if path.hasSuffix(".json") {
            try self.init(indexPath: path)
        } else {
            try self.init(files: [SafetensorsFile(path: path)])
        }
    }

    /// Opens the shards named by a `model.safetensors.index.json` (its `weight_map`), relative to its directory.
    /// - Throws: `CheckpointError.invalidIndex` when the index is malformed or disagrees with the shards.
    public convenience init(indexPath: String) throws {
        struct Index: Decodable {
            let weightMap: [String: String]
            enum CodingKeys: String, CodingKey { case weightMap = "weight_map" }
        }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: indexPath))
        } catch {
            throw CheckpointError.io(path: indexPath, reason: "\(error)")
        }
        let index: Index
        do {
            index = try JSONDecoder().decode(Index.self, from: data)
        } catch {
            throw CheckpointError.invalidIndex(path: indexPath, reason: "not a JSON object with a weight_map (\(error))")
        }
        let directory = indexPath.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        let shardNames = Set(index.weightMap.values).sorted()
        for shard in shardNames where shard.contains("/") || shard.contains("\\") || shard == ".." {
            throw CheckpointError.invalidIndex(path: indexPath, reason: "shard name '\(shard)' is not a plain file name")
        }
        let files = try shardNames.map { try SafetensorsFile(path: directory.isEmpty ? $0 : directory + "/" + $0) }
        for (name, shard) in index.weightMap {
            guard let position = shardNames.firstIndex(of: shard), files[position].header.entries[name] != nil else {
                throw CheckpointError.invalidIndex(path: indexPath, reason: "'\(name)' is mapped to '\(shard)' but absent there")
            }
        }
        for (position, file) in files.enumerated() {
            for name in file.header.entries.keys where index.weightMap[name] != shardNames[position] {
                throw CheckpointError.invalidIndex(
                    path: indexPath, reason: "shard '\(shardNames[position])' holds '\(name)', which the index does not map there")
            }
        }
        try self.init(files: files)
    }

    /// Combines already-opened files; a name present in two files is refused.
    /// - Throws: `CheckpointError.invalidIndex` on a duplicate name.
    public init(files: [SafetensorsFile]) throws {
        var location: [String: Int] = [:]
        for (position, file) in files.enumerated() {
            for name in file.header.entries.keys {
                if let other = location[name] {
                    throw CheckpointError.invalidIndex(
                        path: file.path, reason: "'\(name)' is in both '\(files[other].path)' and '\(file.path)'")
                }
                location[name] = position
            }
        }
        self.files = files
        self.location = location
    }

    /// Every tensor name across all shards, sorted.
    public var tensorNames: [String] { location.keys.sorted() }

    /// A zero-copy view of the tensor called `name`, or nil.
    public func tensor(named name: String) -> TensorView? {
        guard let position = location[name] else { return nil }
        return files[position].tensor(named: name)
    }
}
