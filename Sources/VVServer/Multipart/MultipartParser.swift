/// A streaming multipart/form-data parser (RFC 7578 over RFC 2046 framing).
///
/// Feed it body chunks as they arrive; it keeps at most one delimiter's worth of look-behind plus the current part,
/// and enforces `MultipartLimits` while reading. Parts of any content, including bytes that look like the start of
/// the boundary, nested multipart bodies and bare CR/LF, are kept verbatim; only `CRLF--boundary` ends a part.
public struct MultipartParser: Sendable {
    private enum State { case preamble, afterBoundary, headers, body, done }

    private let dashBoundary: [UInt8]  // "--" + boundary
    private let delimiter: [UInt8]  // CRLF + "--" + boundary
    private let limits: MultipartLimits
    private var state = State.preamble
    private var buffer: [UInt8] = []
    private var current: MultipartPart?
    private var currentIsFile = false
    /// Parts completed so far.
    public private(set) var parts: [MultipartPart] = []

    /// Creates a parser for `boundary` (the Content-Type parameter, unquoted).
    public init(boundary: String, limits: MultipartLimits) throws(MultipartError) {
        let b = Array(boundary.utf8)
        guard (1...70).contains(b.count) else { throw .invalidBoundary }
        dashBoundary = Array("--".utf8) + b
        delimiter = Array("\r\n--".utf8) + b
        self.limits = limits
    }

    /// Reads the boundary from a `Content-Type` header value.
    public static func boundary(fromContentType contentType: String?) throws(MultipartError) -> String {
        guard let contentType else { throw .notMultipart }
        let pieces = HeaderParameters.split(contentType)
        guard let type = pieces.first?.lowercased(), type == "multipart/form-data" else { throw .notMultipart }
        guard let boundary = HeaderParameters.parameters(of: contentType)["boundary"] else { throw .missingBoundary }
        guard (1...70).contains(boundary.utf8.count) else { throw .invalidBoundary }
        return boundary
    }

    /// Parses a whole body (convenience for tests and small bodies).
    public static func parse(_ body: [UInt8], boundary: String, limits: MultipartLimits) throws(MultipartError) -> [MultipartPart] {
        var parser = try MultipartParser(boundary: boundary, limits: limits)
        try parser.feed(body)
        try parser.finish()
        return parser.parts
    }

    /// Consumes the next chunk of the body.
    public mutating func feed(_ chunk: [UInt8]) throws(MultipartError) {
        buffer += chunk
        try process()
    }

    /// Declares the end of the body; throws if the closing boundary was not seen.
    public mutating func finish() throws(MultipartError) {
        try process()
        guard state == .done else {
            if state == .preamble { throw .missingOpeningBoundary }
            throw .truncated
        }
    }

    /// True once the closing boundary has been read.
    public var isComplete: Bool { state == .done }

    private mutating func process() throws(MultipartError) {
        while true {
            switch state {
            case .preamble:
                // The first boundary may open the body directly, or follow a preamble and a CRLF.
                if buffer.starts(with: dashBoundary) {
                    buffer.removeFirst(dashBoundary.count)
                    state = .afterBoundary
                } else if let i = ByteSearch.firstIndex(of: delimiter, in: buffer) {
                    buffer.removeFirst(i + delimiter.count)
                    state = .afterBoundary
                } else {
                    // Keep only what could still be the start of a delimiter; a preamble is bounded too.
                    if buffer.count > limits.maxHeaderBytes { throw .missingOpeningBoundary }
                    return
                }
            case .afterBoundary:
                guard buffer.count >= 2 else { return }
                if buffer[0] == UInt8(ascii: "-") && buffer[1] == UInt8(ascii: "-") {
                    state = .done
                    buffer.removeAll()
                    return
                }
                // Skip transport padding (spaces/tabs), then require CRLF (a bare LF is accepted).
                var i = 0
                while i < buffer.count && (buffer[i] == 0x20 || buffer[i] == 0x09) { i += 1 }
                if i >= buffer.count { return }
                if buffer[i] == 0x0A {
                    buffer.removeFirst(i + 1)
                } else if buffer[i] == 0x0D {
                    guard i + 1 < buffer.count else { return }
                    guard buffer[i + 1] == 0x0A else { throw .malformedHeader("boundary line") }
                    buffer.removeFirst(i + 2)
                } else {
                    throw .malformedHeader("boundary line")
                }
                guard parts.count < limits.maxParts else { throw .tooManyParts(limits.maxParts) }
                state = .headers
            case .headers:
                guard let end = ByteSearch.headerEnd(in: buffer) else {
                    if buffer.count > limits.maxHeaderBytes { throw .headerTooLarge }
                    return
                }
                if end.headerBytes > limits.maxHeaderBytes { throw .headerTooLarge }
                let block = String(decoding: buffer[..<end.headerBytes], as: UTF8.self)
                buffer.removeFirst(end.consumed)
                current = try Self.makePart(fromHeaderBlock: block)
                currentIsFile = current?.filename != nil
                state = .body
            case .body:
                if let i = ByteSearch.firstIndex(of: delimiter, in: buffer) {
                    // A real delimiter is followed by "--", whitespace or a line end. Anything else means the
                    // data merely contains the boundary as a prefix of something longer: keep it as data.
                    let after = i + delimiter.count
                    guard after < buffer.count else {
                        try append(buffer[..<i])
                        buffer.removeFirst(i)
                        return
                    }
                    let next = buffer[after]
                    guard next == UInt8(ascii: "-") || next == 0x20 || next == 0x09 || next == 0x0D || next == 0x0A else {
                        try append(buffer[...i])
                        buffer.removeFirst(i + 1)
                        continue
                    }
                    try append(buffer[..<i])
                    buffer.removeFirst(after)
                    if let part = current { parts.append(part) }
                    current = nil
                    state = .afterBoundary
                } else {
                    // Everything except a possible partial delimiter at the end is part data.
                    let keep = min(buffer.count, delimiter.count - 1)
                    let safe = buffer.count - keep
                    if safe > 0 {
                        try append(buffer[..<safe])
                        buffer.removeFirst(safe)
                    }
                    return
                }
            case .done:
                buffer.removeAll()  // epilogue is ignored
                return
            }
        }
    }

    private mutating func append(_ bytes: ArraySlice<UInt8>) throws(MultipartError) {
        guard var part = current else { return }
        let limit = currentIsFile ? limits.maxFileBytes : limits.maxFieldBytes
        if part.data.count + bytes.count > limit { throw .partTooLarge(name: part.name, limit: limit, isFile: currentIsFile) }
        current = nil  // keep the array uniquely referenced while appending
        part.data.append(contentsOf: bytes)
        current = part
    }

    private static func makePart(fromHeaderBlock block: String) throws(MultipartError) -> MultipartPart {
        var name: String?
        var filename: String?
        var contentType: String?
        let lines = block.split(omittingEmptySubsequences: true, whereSeparator: { $0 == "\r\n" || $0 == "\n" || $0 == "\r" })
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { throw .malformedHeader(String(line)) }
            let field = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            switch field {
            case "content-disposition":
                guard HeaderParameters.split(value).first?.lowercased() == "form-data" else { throw .missingName }
                let params = HeaderParameters.parameters(of: value)
                name = params["name"]
                filename = params["filename*"].flatMap(HeaderParameters.decodeExtendedValue) ?? params["filename"]
            case "content-type":
                contentType = value
            default:
                continue
            }
        }
        guard let name else { throw .missingName }
        return MultipartPart(name: name, filename: filename, contentType: contentType, data: [])
    }
}
