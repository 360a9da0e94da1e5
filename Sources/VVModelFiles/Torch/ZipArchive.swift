/// A read-only view of a zip file held in memory, as `torch.save` writes it (zip64 records, stored members).
///
/// Only what a `.pt` file needs: the central directory (with zip64 extensions), stored and deflated members, CRC-32
/// checks. Every offset and size is checked against the buffer before it is used, so a truncated or hostile file
/// throws `TorchFileError.badZip` and never reads out of bounds. Multi-disk archives and encryption are refused.
struct ZipArchive: Sendable {
    /// One member, as the central directory describes it.
    struct Entry: Sendable {
        let name: String
        let method: UInt16
        let flags: UInt16
        let crc32: UInt32
        let compressedSize: Int
        let uncompressedSize: Int
        let localHeaderOffset: Int
    }

    /// The whole file.
    let bytes: [UInt8]
    /// Members in directory order.
    let entries: [Entry]
    private let index: [String: Int]

    /// Most members a directory may list; far above any `.pt` file, low enough to bound the work.
    static let maxEntries = 1 << 20

    /// Parses the central directory of `bytes`.
    init(bytes: [UInt8]) throws(TorchFileError) {
        self.bytes = bytes
        let reader = ZipByteReader(bytes: bytes)
        let end = try Self.findEndRecord(reader)
        var count = Int(try reader.u16(end + 10))
        var directorySize = Int(try reader.u32(end + 12))
        var directoryOffset = Int(try reader.u32(end + 16))
        guard try reader.u16(end + 4) == 0, try reader.u16(end + 6) == 0 else {
            throw .unsupportedZip("multi-disk archives are not supported")
        }
        if end >= 20, try reader.u32(end - 20) == 0x0706_4b50 {
            let record = try reader.int64(end - 20 + 8)
            guard try reader.u32(record) == 0x0606_4b50 else { throw .badZip("zip64 end record signature mismatch") }
            count = try reader.int64(record + 32)
            directorySize = try reader.int64(record + 40)
            directoryOffset = try reader.int64(record + 48)
        }
        guard count <= Self.maxEntries else { throw .badZip("directory lists \(count) members") }
        guard directoryOffset <= bytes.count, directorySize <= bytes.count - directoryOffset else {
            throw .badZip("central directory lies outside the file (truncated?)")
        }
        var entries: [Entry] = []
        var index: [String: Int] = [:]
        var cursor = directoryOffset
        for _ in 0..<count {
            let entry = try Self.readDirectoryEntry(reader, at: &cursor, limit: directoryOffset + directorySize)
            guard index[entry.name] == nil else { throw .badZip("member \(entry.name) is listed twice") }
            index[entry.name] = entries.count
            entries.append(entry)
        }
        self.entries = entries
        self.index = index
    }

    /// The entry called `name`, if any.
    func entry(_ name: String) -> Entry? {
        index[name].map { entries[$0] }
    }

    /// The uncompressed, CRC-checked bytes of `entry`, which may not unpack to more than `maxBytes`.
    func contents(of entry: Entry, maxBytes: Int = TorchFile.defaultMaxBytes) throws(TorchFileError) -> [UInt8] {
        guard entry.uncompressedSize <= maxBytes else {
            throw .tooLarge(bytes: entry.uncompressedSize, limit: maxBytes)
        }
        let reader = ZipByteReader(bytes: bytes)
        let header = entry.localHeaderOffset
        guard try reader.u32(header) == 0x0403_4b50 else { throw .badZip("bad local header for \(entry.name)") }
        let nameLength = Int(try reader.u16(header + 26))
        let extraLength = Int(try reader.u16(header + 28))
        let localName = try reader.slice(header + 30, nameLength)
        guard localName.elementsEqual(entry.name.utf8) else {
            throw .badZip("local header name differs from the directory for \(entry.name)")
        }
        let start = header + 30 + nameLength + extraLength
        let stored = try reader.slice(start, entry.compressedSize)
        let data: [UInt8]
        switch entry.method {
        case 0:
            guard entry.compressedSize == entry.uncompressedSize else {
                throw .badZip("stored member \(entry.name) has different packed and unpacked sizes")
            }
            data = Array(stored)
        case 8:
            data = try Inflate.decompress(stored, expectedSize: entry.uncompressedSize)
        default:
            throw .unsupportedZip("member \(entry.name) uses compression method \(entry.method)")
        }
        guard ZipCRC32.checksum(data) == entry.crc32 else { throw .badZip("CRC-32 mismatch in \(entry.name)") }
        return data
    }

    private static func findEndRecord(_ reader: ZipByteReader) throws(TorchFileError) -> Int {
        let count = reader.bytes.count
        guard count >= 22 else { throw .badZip("file is too short to be a zip (\(count) bytes)") }
        var position = count - 22
        let lowest = max(0, count - 22 - 0xFFFF)
        while position >= lowest {
            if try reader.u32(position) == 0x0605_4b50 { return position }
            position -= 1
        }
        throw .badZip("no end-of-central-directory record (not a zip, or truncated)")
    }

    private static func readDirectoryEntry(
        _ reader: ZipByteReader, at cursor: inout Int, limit: Int
    ) throws(TorchFileError) -> Entry {
        let at = cursor
        guard at + 46 <= limit, try reader.u32(at) == 0x0201_4b50 else {
            throw .badZip("bad central directory entry at byte \(at)")
        }
        let flags = try reader.u16(at + 8)
        let method = try reader.u16(at + 10)
        let crc = try reader.u32(at + 16)
        var compressed = Int(try reader.u32(at + 20))
        var uncompressed = Int(try reader.u32(at + 24))
        let nameLength = Int(try reader.u16(at + 28))
        let extraLength = Int(try reader.u16(at + 30))
        let commentLength = Int(try reader.u16(at + 32))
        var offset = Int(try reader.u32(at + 42))
        cursor = at + 46 + nameLength + extraLength + commentLength
        guard cursor <= limit else { throw .badZip("central directory entry at byte \(at) overruns the directory") }
        let rawName = try reader.slice(at + 46, nameLength)
        let name = String(decoding: rawName, as: UTF8.self)
        guard name.utf8.elementsEqual(rawName) else { throw .badZip("member name at byte \(at) is not UTF-8") }
        guard flags & 1 == 0 else { throw .unsupportedZip("member \(name) is encrypted") }
        // Zip64 extended information (header id 1): the 64-bit values replace the saturated 32-bit ones, in order.
        var extra = at + 46 + nameLength
        let extraEnd = extra + extraLength
        while extra + 4 <= extraEnd {
            let id = try reader.u16(extra)
            let size = Int(try reader.u16(extra + 2))
            guard extra + 4 + size <= extraEnd else { throw .badZip("extra field of \(name) overruns") }
            if id == 1 {
                var field = extra + 4
                for target in [0, 1, 2] {
                    let saturated = [uncompressed, compressed, offset][target] == 0xFFFF_FFFF
                    guard saturated else { continue }
                    guard field + 8 <= extra + 4 + size else { throw .badZip("short zip64 field in \(name)") }
                    let value = try reader.int64(field)
                    field += 8
                    switch target {
                    case 0: uncompressed = value
                    case 1: compressed = value
                    default: offset = value
                    }
                }
            }
            extra += 4 + size
        }
        return Entry(
            name: name, method: method, flags: flags, crc32: crc, compressedSize: compressed,
            uncompressedSize: uncompressed, localHeaderOffset: offset)
    }
}

/// Bounds-checked little-endian reads from a byte array.
struct ZipByteReader: Sendable {
    let bytes: [UInt8]

    func slice(_ offset: Int, _ count: Int) throws(TorchFileError) -> ArraySlice<UInt8> {
        guard offset >= 0, count >= 0, offset <= bytes.count, count <= bytes.count - offset else {
            throw .badZip("read of \(count) bytes at \(offset) is outside the \(bytes.count)-byte file (truncated?)")
        }
        return bytes[offset..<(offset + count)]
    }

    func u16(_ offset: Int) throws(TorchFileError) -> UInt16 {
        let s = try slice(offset, 2)
        return UInt16(s[offset]) | UInt16(s[offset + 1]) << 8
    }

    func u32(_ offset: Int) throws(TorchFileError) -> UInt32 {
        let s = try slice(offset, 4)
        var value: UInt32 = 0
        for i in 0..<4 { value |= UInt32(s[offset + i]) << (8 * i) }
        return value
    }

    /// A 64-bit field that must fit a non-negative `Int`.
    func int64(_ offset: Int) throws(TorchFileError) -> Int {
        let s = try slice(offset, 8)
        var value: UInt64 = 0
        for i in 0..<8 { value |= UInt64(s[offset + i]) << (8 * i) }
        guard value <= UInt64(Int.max >> 1) else { throw .badZip("64-bit field at \(offset) is out of range") }
        return Int(value)
    }
}
