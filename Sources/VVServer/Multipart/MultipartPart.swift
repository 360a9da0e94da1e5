/// One part of a multipart/form-data body.
public struct MultipartPart: Sendable, Equatable {
    /// The form field name (`Content-Disposition: form-data; name="..."`).
    public var name: String
    /// The file name, for file parts.
    public var filename: String?
    /// The part's `Content-Type`, if given.
    public var contentType: String?
    /// The part's bytes.
    public var data: [UInt8]

    /// Creates a part.
    public init(name: String, filename: String? = nil, contentType: String? = nil, data: [UInt8]) {
        self.name = name
        self.filename = filename
        self.contentType = contentType
        self.data = data
    }

    /// The bytes as UTF-8 text (invalid sequences replaced).
    public var text: String { String(decoding: data, as: UTF8.self) }
}

/// Limits the parser enforces while reading, so memory stays bounded whatever the client sends.
public struct MultipartLimits: Sendable, Equatable {
    /// Largest file part (a part with a filename).
    public var maxFileBytes: Int
    /// Largest non-file field.
    public var maxFieldBytes = 1 << 20
    /// Largest header block of one part.
    public var maxHeaderBytes = 16 * 1024
    /// Most parts.
    public var maxParts = 256

    /// Creates limits.
    public init(maxFileBytes: Int, maxFieldBytes: Int = 1 << 20, maxHeaderBytes: Int = 16 * 1024, maxParts: Int = 256) {
        self.maxFileBytes = maxFileBytes
        self.maxFieldBytes = maxFieldBytes
        self.maxHeaderBytes = maxHeaderBytes
        self.maxParts = maxParts
    }
}

/// Why a multipart body was refused.
public enum MultipartError: Error, Sendable, Equatable, CustomStringConvertible {
    case notMultipart
    case missingBoundary
    case invalidBoundary
    case missingOpeningBoundary
    case truncated
    case headerTooLarge
    case malformedHeader(String)
    case missingName
    case tooManyParts(Int)
    case partTooLarge(name: String, limit: Int, isFile: Bool)

    /// One line for API errors.
    public var description: String {
        switch self {
        case .notMultipart: "the request body must be multipart/form-data"
        case .missingBoundary: "the multipart/form-data Content-Type has no boundary parameter"
        case .invalidBoundary: "the multipart boundary must be 1 to 70 characters"
        case .missingOpeningBoundary: "the body does not start with the multipart boundary"
        case .truncated: "the multipart body ended before its closing boundary"
        case .headerTooLarge: "a multipart part has headers larger than the limit"
        case .malformedHeader(let line): "malformed multipart part header: \(line.prefix(80))"
        case .missingName: "a multipart part has no Content-Disposition form-data name"
        case .tooManyParts(let n): "the multipart body has more than \(n) parts"
        case .partTooLarge(let name, let limit, let isFile):
            "\(isFile ? "file" : "field") '\(name)' is larger than \(limit) bytes"
        }
    }
}
