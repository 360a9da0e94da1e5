import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A blocking TCP client for driving the real server with exact bytes (malformed, slow, abandoned requests).
/// Its blocking calls run on Dispatch threads, never on the Swift concurrency pool the server uses.
final class RawHTTPClient: @unchecked Sendable {
    private let fd: Int32
    private var buffer: [UInt8] = []

    init(port: Int, timeoutSeconds: Int = 10) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ClientError("socket failed") }
        var tv = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(port).bigEndian)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard rc == 0 else { throw ClientError("connect failed: \(errno)") }
    }

    deinit { close(fd) }

    func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard n > 0 else { throw ClientError("send failed: \(errno)") }
            offset += n
        }
    }

    func send(_ text: String) throws { try send(Array(text.utf8)) }

    func shutdownWrite() { shutdown(fd, Int32(SHUT_WR)) }

    /// Reads more bytes; false at end of stream.
    private func fill() throws -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65536)
        let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if n < 0 { throw ClientError("recv failed: \(errno)") }
        if n == 0 { return false }
        buffer += chunk[0..<n]
        return true
    }

    /// Reads up to the end of the response head.
    func readHead() throws -> (status: Int, headers: [String: String])? {
        while ByteSearchIndex(buffer, Array("\r\n\r\n".utf8)) == nil {
            if try !fill() { return nil }
        }
        let end = ByteSearchIndex(buffer, Array("\r\n\r\n".utf8)) ?? 0
        let lines = String(decoding: buffer[..<end], as: UTF8.self).components(separatedBy: "\r\n")
        buffer.removeFirst(end + 4)
        let status = Int(lines[0].split(separator: " ")[1]) ?? 0
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let c = line.firstIndex(of: ":") else { continue }
            headers[line[..<c].lowercased()] = line[line.index(after: c)...].trimmingCharacters(in: .whitespaces)
        }
        return (status, headers)
    }

    /// Reads the next chunk of a chunked body; nil at the terminating chunk.
    func readChunk() throws -> [UInt8]? {
        while ByteSearchIndex(buffer, Array("\r\n".utf8)) == nil { if try !fill() { throw ClientError("eof in chunk size") } }
        let lineEnd = ByteSearchIndex(buffer, Array("\r\n".utf8)) ?? 0
        let size = Int(String(decoding: buffer[..<lineEnd], as: UTF8.self), radix: 16) ?? -1
        guard size >= 0 else { throw ClientError("bad chunk size") }
        while buffer.count < lineEnd + 2 + size + 2 { if try !fill() { throw ClientError("eof in chunk") } }
        let data = Array(buffer[(lineEnd + 2)..<(lineEnd + 2 + size)])
        buffer.removeFirst(lineEnd + 2 + size + 2)
        return size == 0 ? nil : data
    }

    /// Reads a whole response (Content-Length or chunked).
    func readResponse() throws -> (status: Int, headers: [String: String], body: [UInt8])? {
        guard let head = try readHead() else { return nil }
        var body: [UInt8] = []
        if head.headers["transfer-encoding"] == "chunked" {
            while let c = try readChunk() { body += c }
        } else {
            let length = Int(head.headers["content-length"] ?? "0") ?? 0
            while buffer.count < length { if try !fill() { throw ClientError("eof in body") } }
            body = Array(buffer[..<length])
            buffer.removeFirst(length)
        }
        return (head.status, head.headers, body)
    }

    /// True if the server closed the connection (reads EOF) within the timeout.
    func readsEOF() -> Bool {
        (try? fill()) == false
    }
}

struct ClientError: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}

func ByteSearchIndex(_ h: [UInt8], _ n: [UInt8]) -> Int? {
    guard h.count >= n.count else { return nil }
    for i in 0...(h.count - n.count) where h[i] == n[0] && Array(h[i..<i + n.count]) == n { return i }
    return nil
}

/// Runs blocking work on a Dispatch thread.
func blocking<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { c in
        DispatchQueue.global().async { c.resume(with: Result { try work() }) }
    }
}
