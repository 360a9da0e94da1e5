import Foundation

/// The parsed and validated JSON header of one safetensors file.
///
/// Validation follows the reference `safetensors` crate: the header length must fit in the file, the JSON must be an
/// object of `{dtype, shape, data_offsets}` entries (plus optional string `__metadata__`), every byte range must match
/// its dtype and shape exactly, and the ranges must tile the data area with no gap, overlap or trailing bytes.
public struct SafetensorsHeader: Sendable {
    /// One tensor's header entry; `begin`/`end` are offsets into the data area (after the header).
    public struct Entry: Sendable, Equatable {
        /// Element type.
        public let dtype: SafetensorsDType
        /// Dimensions.
        public let shape: [Int]
        /// First byte, relative to the start of the data area.
        public let begin: Int
        /// One past the last byte, relative to the start of the data area.
        public let end: Int
    }

    /// Largest header accepted (the reference crate's limit is 100 MB).
    public static let maxHeaderBytes = 100_000_000

    /// Entries by tensor name.
    public let entries: [String: Entry]
    /// The optional `__metadata__` string map.
    public let metadata: [String: String]
    /// Byte offset of the data area from the start of the file (8 + header length).
    public let dataStart: Int

    /// Parses and validates the header of a file whose full contents are `file`.
    /// - Throws: `CheckpointError.invalidSafetensors` naming the first inconsistency found.
    public init(file: UnsafeRawBufferPointer, path: String) throws {
        func fail(_ reason: String) -> CheckpointError { .invalidSafetensors(path: path, reason: reason) }
        guard file.count >= 8 else { throw fail("file is \(file.count) bytes, shorter than the 8-byte header length") }
        let declared = UInt64(littleEndian: file.loadUnaligned(fromByteOffset: 0, as: UInt64.self))
        guard declared <= UInt64(Self.maxHeaderBytes) else { throw fail("header length \(declared) exceeds the limit") }
        let headerLength = Int(declared)
        guard headerLength <= file.count - 8 else {
            throw fail("header length \(headerLength) runs past the end of the \(file.count)-byte file")
        }
        let headerBytes = UnsafeRawBufferPointer(rebasing: file[8..<(8 + headerLength)])
        guard headerBytes.first == UInt8(ascii: "{") else { throw fail("header does not start with '{'") }
        let raw: RawHeader
        do {
            raw = try JSONDecoder().decode(RawHeader.self, from: Data(headerBytes))
        } catch {
            throw fail("header is not valid JSON of the expected form (\(error))")
        }
        let dataLength = file.count - 8 - headerLength
        var entries: [String: Entry] = [:]
        for (name, item) in raw.tensors {
            guard let dtype = SafetensorsDType(rawValue: item.dtype) else {
                throw fail("tensor '\(name)' has unknown dtype '\(item.dtype)'")
            }
            guard item.dataOffsets.count == 2 else { throw fail("tensor '\(name)' needs two data_offsets") }
            let begin = item.dataOffsets[0]
            let end = item.dataOffsets[1]
            guard begin >= 0, end >= begin else { throw fail("tensor '\(name)' has offsets [\(begin), \(end)]") }
            var elements = 1
            for dim in item.shape {
                guard dim >= 0 else { throw fail("tensor '\(name)' has negative dimension \(dim)") }
                let (product, overflow) = elements.multipliedReportingOverflow(by: dim)
                guard !overflow else { throw fail("tensor '\(name)' shape \(item.shape) overflows") }
                elements = product
            }
            let (byteCount, overflow) = elements.multipliedReportingOverflow(by: dtype.byteSize)
            guard !overflow, byteCount == end - begin else {
                throw fail("tensor '\(name)' spans \(end - begin) bytes but \(dtype.rawValue)\(item.shape) needs \(byteCount)")
            }
            guard end <= dataLength else {
                throw fail("tensor '\(name)' ends at \(end), past the \(dataLength)-byte data area")
            }
            entries[name] = Entry(dtype: dtype, shape: item.shape, begin: begin, end: end)
        }
        var cursor = 0
        for (name, entry) in entries.sorted(by: { ($0.value.begin, $0.value.end) < ($1.value.begin, $1.value.end) }) {
            guard entry.begin == cursor else {
                throw fail("tensor '\(name)' starts at \(entry.begin), expected \(cursor) (gap or overlap)")
            }
            cursor = entry.end
        }
        guard cursor == dataLength else {
            throw fail("tensors cover \(cursor) bytes but the data area holds \(dataLength)")
        }
        self.entries = entries
        self.metadata = raw.metadata
        self.dataStart = 8 + headerLength
    }
}

/// The header JSON as decoded, before validation.
private struct RawHeader: Decodable {
    struct Item: Decodable {
        let dtype: String
        let shape: [Int]
        let dataOffsets: [Int]
        enum CodingKeys: String, CodingKey {
            case dtype, shape
            case dataOffsets = "data_offsets"
        }
    }

    struct Key: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    var tensors: [String: Item] = [:]
    var metadata: [String: String] = [:]

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        for key in container.allKeys {
            if key.stringValue == "__metadata__" {
                metadata = try container.decode([String: String].self, forKey: key)
            } else {
                tensors[key.stringValue] = try container.decode(Item.self, forKey: key)
            }
        }
    }
}
