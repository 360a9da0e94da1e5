import VVPlatform

/// One memory-mapped safetensors file, validated on open, handing out zero-copy tensor views.
public final class SafetensorsFile: TensorSource, @unchecked Sendable {
    /// The file path.
    public let path: String
    /// The validated header.
    public let header: SafetensorsHeader
    private let mapping: MappedFile

    /// Maps and validates the file at `path`.
    /// - Throws: `CheckpointError.io` when it cannot be mapped, `.invalidSafetensors` when it is malformed.
    public init(path: String) throws {
        self.path = path
        do {
            mapping = try MappedFile(path: path)
        } catch {
            throw CheckpointError.io(path: path, reason: "\(error)")
        }
        header = try SafetensorsHeader(file: mapping.bytes, path: path)
    }

    /// The `__metadata__` string map (empty when absent).
    public var metadata: [String: String] { header.metadata }

    /// Every tensor name, sorted.
    public var tensorNames: [String] { header.entries.keys.sorted() }

    /// Calls `body` with the whole mapped file (for checks that views lie inside it).
    public func withMappedBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(mapping.bytes)
    }

    /// A zero-copy view of the tensor called `name`, or nil.
    public func tensor(named name: String) -> TensorView? {
        guard let entry = header.entries[name] else { return nil }
        let start = header.dataStart + entry.begin
        let bytes = UnsafeRawBufferPointer(rebasing: mapping.bytes[start..<(header.dataStart + entry.end)])
        return TensorView(name: name, dtype: entry.dtype, shape: entry.shape, bytes: bytes, owner: mapping)
    }
}
