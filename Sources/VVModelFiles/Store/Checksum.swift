import Foundation

/// A published content hash that a downloaded file must match.
public enum Checksum: Sendable, Hashable, Codable, CustomStringConvertible {
    /// SHA-256 of the content, lowercase hex: what the hub publishes for LFS files (`X-Linked-Etag`, `lfs.sha256`).
    case sha256(String)
    /// A git blob id, lowercase hex: SHA-1 over `"blob <length>\0"` + content. The hub's `ETag` for small files and
    /// GitHub's id for every file.
    case gitBlobSHA1(String)

    /// Reads a hub ETag (`"abc…"`, `W/"abc…"`): 64 hex digits are a SHA-256, 40 a git blob id, anything else nil.
    public init?(etag: String) {
        var value = etag.trimmingCharacters(in: .whitespaces)
        if value.hasPrefix("W/") { value.removeFirst(2) }
        value = value.trimmingCharacters(in: CharacterSet(charactersIn: "\""))
        if HexEncoding.isHex(value, count: 64) {
            self = .sha256(value.lowercased())
        } else if HexEncoding.isHex(value, count: 40) {
            self = .gitBlobSHA1(value.lowercased())
        } else {
            return nil
        }
    }

    /// The hex digest.
    public var hex: String {
        switch self {
        case .sha256(let hex), .gitBlobSHA1(let hex): hex
        }
    }

    /// Reads `sha256:<hex>` or `git-sha1:<hex>` (the form `description` writes).
    public init?(_ text: String) {
        if text.hasPrefix("sha256:"), HexEncoding.isHex(String(text.dropFirst(7)), count: 64) {
            self = .sha256(String(text.dropFirst(7)).lowercased())
        } else if text.hasPrefix("git-sha1:"), HexEncoding.isHex(String(text.dropFirst(9)), count: 40) {
            self = .gitBlobSHA1(String(text.dropFirst(9)).lowercased())
        } else {
            return nil
        }
    }

    /// Decodes the `sha256:<hex>` / `git-sha1:<hex>` string form.
    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let value = Checksum(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "bad checksum '\(text)'"))
        }
        self = value
    }

    /// Encodes as the `sha256:<hex>` / `git-sha1:<hex>` string.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    /// `sha256:<hex>` or `git-sha1:<hex>`.
    public var description: String {
        switch self {
        case .sha256(let hex): "sha256:\(hex)"
        case .gitBlobSHA1(let hex): "git-sha1:\(hex)"
        }
    }
}

/// Computes a `Checksum` of the same kind over streamed content.
struct ChecksumHasher: Sendable {
    private var sha256: SHA256?
    private var sha1: SHA1?

    /// A hasher for `kind`; `length` is the full content length (needed up front by the git blob header).
    init(kind: Checksum, length: Int64) {
        switch kind {
        case .sha256: sha256 = SHA256()
        case .gitBlobSHA1: sha1 = SHA1.gitBlob(length: length)
        }
    }

    /// Adds content bytes.
    mutating func update(_ bytes: UnsafeBufferPointer<UInt8>) {
        sha256?.update(bytes)
        sha1?.update(bytes)
    }

    /// The resulting checksum.
    mutating func finalize() -> Checksum {
        if var hasher = sha256 { return .sha256(hasher.finalizeHex()) }
        if var hasher = sha1 { return .gitBlobSHA1(hasher.finalizeHex()) }
        return .sha256("")
    }
}
