import Foundation

/// Reads the shard names out of a `model.safetensors.index.json`.
enum ShardIndex {
    /// The distinct file names of `weight_map`, sorted; throws if the JSON has no usable map or names a path that
    /// leaves the folder.
    static func shardNames(_ data: Data) throws -> [String] {
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let map = object["weight_map"] as? [String: Any]
        else {
            throw ModelStoreError.badResponse(url: "model.safetensors.index.json", reason: "no weight_map")
        }
        let names = Set(map.values.compactMap { $0 as? String })
        guard !names.isEmpty else {
            throw ModelStoreError.badResponse(url: "model.safetensors.index.json", reason: "empty weight_map")
        }
        for name in names where !StoreFiles.isSafeName(name) {
            throw ModelStoreError.badResponse(url: "model.safetensors.index.json", reason: "unsafe shard name '\(name)'")
        }
        return names.sorted()
    }
}
