/// A token string as its exact UTF-8 bytes, for dictionary keys.
///
/// `String` keys would compare by canonical equivalence (so `Å` U+212B and `Å` U+00C5 would be one key, unlike in
/// `tokenizers`) and hash slowly for the non-ASCII byte-level alphabet; this key compares bytes and hashes them in
/// one call.
struct TokenKey: Hashable, Sendable {
    /// The UTF-8 bytes.
    let bytes: [UInt8]

    /// Wraps UTF-8 bytes.
    init(_ bytes: [UInt8]) { self.bytes = bytes }

    /// The UTF-8 bytes of `string`.
    init(_ string: String) { bytes = Array(string.utf8) }

    static func == (a: TokenKey, b: TokenKey) -> Bool { a.bytes == b.bytes }

    func hash(into hasher: inout Hasher) {
        bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
    }

    /// The token as a `String`.
    var string: String { String(decoding: bytes, as: UTF8.self) }
}
