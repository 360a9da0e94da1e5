/// The GPT-2 byte-level alphabet: a bijection between the 256 byte values and 256 printable characters.
///
/// Printable bytes `!`…`~`, `¡`…`¬` and `®`…`ÿ` map to the character with the same code point; the other 68
/// bytes map, in order, to U+0100 onwards (so space is `Ġ` U+0120 and LF is `Ċ` U+010A).
enum ByteLevel {
    /// Character (scalar value) for each byte.
    static let byteToScalar: [UInt32] = {
        var table = [UInt32](repeating: 0, count: 256)
        var next: UInt32 = 256
        for b in 0..<256 {
            if (0x21...0x7E).contains(b) || (0xA1...0xAC).contains(b) || (0xAE...0xFF).contains(b) {
                table[b] = UInt32(b)
            } else {
                table[b] = next
                next += 1
            }
        }
        return table
    }()

    /// Byte for each scalar value below 0x144, or -1 for characters outside the alphabet.
    static let scalarToByte: [Int16] = {
        var table = [Int16](repeating: -1, count: 0x144)
        for (b, c) in byteToScalar.enumerated() { table[Int(c)] = Int16(b) }
        return table
    }()

    /// The bytes a byte-level token string stands for, or nil when a character is outside the alphabet.
    static func bytes(of token: String) -> [UInt8]? {
        bytes(utf8: Array(token.utf8))
    }

    /// The bytes a byte-level token (valid UTF-8) stands for, or nil when a character is outside the alphabet.
    ///
    /// Alphabet characters are all below U+0144, so at most two UTF-8 bytes each.
    static func bytes(utf8 token: [UInt8]) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(token.count)
        let table = scalarToByte
        var i = 0
        while i < token.count {
            let b0 = token[i]
            let scalar: Int
            if b0 < 0x80 {
                scalar = Int(b0)
                i += 1
            } else if b0 & 0xE0 == 0xC0, i + 1 < token.count {
                scalar = Int(b0 & 0x1F) << 6 | Int(token[i + 1] & 0x3F)
                i += 2
            } else {
                return nil
            }
            guard scalar < table.count, table[scalar] >= 0 else { return nil }
            out.append(UInt8(table[scalar]))
        }
        return out
    }

    /// The byte-level string for raw bytes.
    static func string(of bytes: some Sequence<UInt8>) -> String {
        var view = String.UnicodeScalarView()
        for b in bytes {
            if let s = Unicode.Scalar(byteToScalar[Int(b)]) { view.append(s) }
        }
        return String(view)
    }
}
