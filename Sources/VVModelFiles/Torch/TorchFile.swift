import Foundation

/// Reads `.pt` files written by `torch.save` (the zip format, torch ≥ 1.6) without Python and without executing
/// anything from the file.
///
/// The archive holds `<name>/data.pkl` (the pickled object graph), `<name>/data/<key>` (raw storages),
/// `<name>/byteorder` and `<name>/version`; the folder name is arbitrary. `data.pkl` is run by
/// `RestrictedUnpickler`, which knows tensors, plain containers and the `transformers` cache objects voice presets
/// hold, and refuses every other global with `TorchFileError.forbiddenGlobal`.
public enum TorchFile {
    /// Largest file `read(contentsOf:)` accepts by default (1 GiB); voice presets are a few MB.
    public static let defaultMaxBytes = 1 << 30

    /// Reads and unpickles the file at `url`.
    public static func read(contentsOf url: URL, maxBytes: Int = defaultMaxBytes) throws(TorchFileError) -> TorchValue {
        let path = url.path
        let size: Int
        do {
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            size = (attributes[.size] as? NSNumber)?.intValue ?? 0
        } catch {
            throw .unreadable(path: path, reason: "no such file or not accessible")
        }
        guard size <= maxBytes else { throw .tooLarge(bytes: size, limit: maxBytes) }
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw .unreadable(path: path, reason: error.localizedDescription)
        }
        guard data.count <= maxBytes else { throw .tooLarge(bytes: data.count, limit: maxBytes) }
        return try read(bytes: [UInt8](data), maxBytes: maxBytes)
    }

    /// Unpickles a whole `.pt` file held in memory; no member may unpack to more than `maxBytes`.
    public static func read(bytes: [UInt8], maxBytes: Int = defaultMaxBytes) throws(TorchFileError) -> TorchValue {
        let archive = try ZipArchive(bytes: bytes)
        let pickles = archive.entries.filter { entry in
            let parts = entry.name.split(separator: "/", omittingEmptySubsequences: false)
            return parts.count == 2 && parts[1] == "data.pkl" && !parts[0].isEmpty
        }
        guard let pickle = pickles.first else { throw .missingEntry("<folder>/data.pkl (not a torch zip file)") }
        guard pickles.count == 1 else { throw .badZip("\(pickles.count) data.pkl members") }
        let folder = String(pickle.name.dropLast("data.pkl".count))
        if let entry = archive.entry(folder + "byteorder") {
            let order = String(decoding: try archive.contents(of: entry), as: UTF8.self)
            guard order == "little" else { throw .unsupportedFormat("byte order '\(order)' (only little-endian)") }
        }
        if let entry = archive.entry(folder + "version") {
            let text = String(decoding: try archive.contents(of: entry), as: UTF8.self)
            let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard let version = Int(trimmed), (1...3).contains(version) else {
                throw .unsupportedFormat("archive version '\(trimmed)' (1 to 3 are known)")
            }
        }
        var unpickler = RestrictedUnpickler(data: try archive.contents(of: pickle, maxBytes: maxBytes)) {
            (key, _, _) throws(TorchFileError) -> [UInt8] in
            guard !key.isEmpty, !key.contains("/"), let entry = archive.entry(folder + "data/" + key) else {
                throw .missingEntry(folder + "data/" + key)
            }
            return try archive.contents(of: entry, maxBytes: maxBytes)
        }
        return try unpickler.load()
    }
}
