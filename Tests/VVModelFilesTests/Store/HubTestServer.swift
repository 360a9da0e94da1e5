import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
@testable import VVModelFiles

#if canImport(Glibc) || canImport(Darwin)

/// A tiny HTTP/1.1 server on 127.0.0.1 that mimics the Hugging Face hub's download surface, for tests only.
///
/// Two listening ports: the "hub" (`/api/models/{repo}/revision/{rev}`, `/{repo}/resolve/{rev}/{file}`, `/raw/...`)
/// and the "CDN" that LFS redirects point at (`/cdn/{repo}/{file}`). LFS files get a 302 with `X-Linked-Etag`
/// (SHA-256), `X-Linked-Size` and `X-Repo-Commit`; small files a 200 with `ETag` = git blob id. Range requests are
/// honoured (206, 416). Behaviours for failure tests: a gated repo (401 without the right token), transfers cut after N
/// bytes, corrupted bodies, an API that answers 404. It stops on `stop()` or by itself after `lifetime` seconds.
final class HubTestServer: @unchecked Sendable {
    /// One repository served.
    struct Repo {
        var files: [String: [UInt8]]
        var lfs: Set<String>
        var commit = "0123456789abcdef0123456789abcdef01234567"
        var gatedToken: String?
    }

    /// One request as received.
    struct Logged: Sendable {
        var method: String
        var path: String
        var range: String?
        var authorization: String?
        var onCDN: Bool
    }

    let hubPort: Int
    let cdnPort: Int
    private let lock = NSLock()
    private var repos: [String: Repo]
    private var raw: [String: [UInt8]]
    private var log: [Logged] = []
    private var cuts: [String: (after: Int, times: Int)] = [:]
    private var corrupt: Set<String> = []
    private var apiEnabled = true
    private var chunkDelay: useconds_t = 0
    private var renamed: [String: String] = [:]
    private var running = true
    private let hubSocket: Int32
    private let cdnSocket: Int32

    /// Starts serving `repos` (keyed `owner/name`) and `raw` files (keyed by path below `/raw/`).
    init(repos: [String: Repo], raw: [String: [UInt8]] = [:], lifetime: TimeInterval = 600) throws {
        self.repos = repos
        self.raw = raw
        (hubSocket, hubPort) = try HubTestServer.listen()
        (cdnSocket, cdnPort) = try HubTestServer.listen()
        let deadline = Date().addingTimeInterval(lifetime)
        for (socket, onCDN) in [(hubSocket, false), (cdnSocket, true)] {
            let thread = Thread { [self] in acceptLoop(socket, onCDN: onCDN, deadline: deadline) }
            thread.start()
        }
    }

    deinit { stop() }

    /// The hub's base URL.
    var endpoint: URL { URL(string: "http://127.0.0.1:\(hubPort)")! }
    /// The base URL of raw files (`/raw/...`).
    var rawBase: URL { URL(string: "http://127.0.0.1:\(hubPort)/raw")! }

    /// Stops both listeners (idempotent).
    func stop() {
        let wasRunning = lock.withLock { () -> Bool in
            defer { running = false }
            return running
        }
        if wasRunning {
            _ = shutdown(hubSocket, Int32(SHUT_RDWR))
            _ = shutdown(cdnSocket, Int32(SHUT_RDWR))
        }
    }

    /// Requests received so far.
    var requests: [Logged] { lock.withLock { log } }

    /// Cuts the next `times` transfers of `file` (by name) after `after` body bytes.
    func cut(_ file: String, after: Int, times: Int = 1) { lock.withLock { cuts[file] = (after, times) } }
    /// Serves `file` with one byte flipped (its published digest stays the real one).
    func corrupt(_ file: String) { lock.withLock { _ = corrupt.insert(file) } }
    /// Sends bodies in 64 KB pieces with `milliseconds` between them, so transfers overlap in time.
    func throttle(milliseconds: Int) { lock.withLock { chunkDelay = useconds_t(milliseconds * 1000) } }
    /// Answers `resolve` URLs of `old` with a relative 307 to the same path under `new`, as the hub does for a renamed repo.
    func rename(_ old: String, to new: String) { lock.withLock { renamed[old] = new } }
    /// Makes the listing API answer 404, as a plain mirror would.
    func disableAPI() { lock.withLock { apiEnabled = false } }
    /// Replaces a repo's file.
    func setFile(_ repo: String, _ name: String, _ bytes: [UInt8]) { lock.withLock { repos[repo]?.files[name] = bytes } }

    private static func listen() throws -> (Int32, Int) {
        #if canImport(Glibc)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw POSIXError(.EIO) }
        var yes: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, Glibc_listen(fd) == 0 else { close(fd); throw POSIXError(.EADDRINUSE) }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return (fd, Int(UInt16(bigEndian: address.sin_port)))
    }

    private func acceptLoop(_ socket: Int32, onCDN: Bool, deadline: Date) {
        defer { close(socket) }
        while lock.withLock({ running }) && Date() < deadline {
            var poller = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 100) > 0 else { continue }
            let client = accept(socket, nil, nil)
            guard client >= 0 else { continue }
            let thread = Thread { [self] in
                handle(client, onCDN: onCDN)
                close(client)
            }
            thread.start()
        }
        stop()
    }

    private func handle(_ client: Int32, onCDN: Bool) {
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while !received.containsHeaderEnd {
            let count = recv(client, &chunk, chunk.count, 0)
            guard count > 0 else { return }
            received += chunk[0..<count]
            if received.count > 65536 { return }
        }
        let head = String(decoding: received, as: UTF8.self).components(separatedBy: "\r\n")
        let parts = head[0].split(separator: " ").map(String.init)
        guard parts.count >= 2 else { return }
        var headers: [String: String] = [:]
        for line in head.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let method = parts[0]
        let path = parts[1].components(separatedBy: "?")[0].removingPercentEncoding ?? parts[1]
        lock.withLock {
            log.append(Logged(method: method, path: path, range: headers["range"], authorization: headers["authorization"], onCDN: onCDN))
        }
        let response = route(method: method, path: path, headers: headers)
        send(client, response, isHead: method == "HEAD")
    }

    private struct Response {
        var status: Int
        var headers: [(String, String)] = []
        var body: [UInt8] = []
        var cutAfter: Int?
    }

    private func route(method: String, path: String, headers: [String: String]) -> Response {
        let segments = path.split(separator: "/").map(String.init)
        if segments.first == "api", segments.count >= 6, segments[1] == "models", segments[4] == "revision" {
            return listing(repo: "\(segments[2])/\(segments[3])", auth: headers["authorization"])
        }
        if segments.first == "cdn", segments.count >= 4 {
            let repoID = "\(segments[1])/\(segments[2])"
            let name = segments[3...].joined(separator: "/")
            guard let bytes = lock.withLock({ repos[repoID]?.files[name] }) else { return Response(status: 404) }
            return body(bytes, name: name, range: headers["range"])
        }
        if segments.first == "raw" {
            let name = segments.dropFirst().joined(separator: "/")
            guard let bytes = lock.withLock({ raw[name] }) else { return Response(status: 404) }
            return body(bytes, name: (name as NSString).lastPathComponent, range: headers["range"])
        }
        if segments.count >= 5, segments[2] == "resolve" {
            let repoID = "\(segments[0])/\(segments[1])"
            let name = segments[4...].joined(separator: "/")
            if let target = lock.withLock({ renamed[repoID] }) {
                return Response(status: 307, headers: [("Location", "/\(target)/" + segments[2...].joined(separator: "/"))])
            }
            guard let repo = lock.withLock({ repos[repoID] }) else {
                return Response(status: 404, headers: [("X-Error-Code", "RepoNotFound")])
            }
            if let required = repo.gatedToken, headers["authorization"] != "Bearer \(required)" {
                return Response(status: 401, headers: [("X-Error-Code", "GatedRepo"), ("X-Error-Message", "Access to model \(repoID) is restricted.")])
            }
            guard let bytes = repo.files[name] else {
                return Response(status: 404, headers: [("X-Error-Code", "EntryNotFound"), ("X-Repo-Commit", repo.commit)])
            }
            if repo.lfs.contains(name) {
                let sha = SHA256.hex(bytes)
                return Response(status: 302, headers: [
                    ("Location", "http://127.0.0.1:\(cdnPort)/cdn/\(repoID)/\(name)"), ("X-Linked-Etag", "\"\(sha)\""),
                    ("X-Linked-Size", "\(bytes.count)"), ("X-Repo-Commit", repo.commit), ("ETag", "\"\(sha)\""),
                ])
            }
            var response = body(bytes, name: name, range: headers["range"])
            response.headers += [("ETag", "\"\(gitBlob(bytes))\""), ("X-Repo-Commit", repo.commit)]
            return response
        }
        return Response(status: 404)
    }

    private func listing(repo repoID: String, auth: String?) -> Response {
        guard lock.withLock({ apiEnabled }) else { return Response(status: 404) }
        guard let repo = lock.withLock({ repos[repoID] }) else { return Response(status: 404) }
        // The hub lists gated repositories to anyone; only their files are refused.
        var siblings: [[String: Any]] = []
        for (name, bytes) in repo.files.sorted(by: { $0.key < $1.key }) {
            var entry: [String: Any] = ["rfilename": name, "size": bytes.count, "blobId": gitBlob(bytes)]
            if repo.lfs.contains(name) {
                entry["lfs"] = ["sha256": SHA256.hex(bytes), "size": bytes.count, "pointerSize": 134]
                entry["blobId"] = gitBlob(Array("version https://git-lfs.github.com/spec/v1\n".utf8))
            }
            siblings.append(entry)
        }
        let json = (try? JSONSerialization.data(withJSONObject: ["sha": repo.commit, "siblings": siblings])) ?? Data()
        return Response(status: 200, headers: [("Content-Type", "application/json")], body: Array(json))
    }

    private func body(_ original: [UInt8], name: String, range: String?) -> Response {
        var bytes = original
        let (cutAfter, isCorrupt) = lock.withLock { () -> (Int?, Bool) in
            var after: Int?
            if let cut = cuts[name], cut.times > 0 {
                after = cut.after
                cuts[name] = (cut.after, cut.times - 1)
            }
            return (after, corrupt.contains(name))
        }
        if isCorrupt, !bytes.isEmpty { bytes[bytes.count / 2] ^= 0xff }
        if let range, range.hasPrefix("bytes="), let start = Int(range.dropFirst(6).split(separator: "-").first ?? "") {
            guard start < bytes.count else {
                return Response(status: 416, headers: [("Content-Range", "bytes */\(bytes.count)")])
            }
            return Response(status: 206, headers: [("Content-Range", "bytes \(start)-\(bytes.count - 1)/\(bytes.count)")],
                            body: Array(bytes[start...]), cutAfter: cutAfter)
        }
        return Response(status: 200, body: bytes, cutAfter: cutAfter)
    }

    private func gitBlob(_ bytes: [UInt8]) -> String {
        var hasher = SHA1.gitBlob(length: Int64(bytes.count))
        hasher.update(bytes)
        return hasher.finalizeHex()
    }

    private func send(_ client: Int32, _ response: Response, isHead: Bool) {
        let reasons = [200: "OK", 206: "Partial Content", 302: "Found", 307: "Temporary Redirect", 401: "Unauthorized", 404: "Not Found", 416: "Range Not Satisfiable"]
        var text = "HTTP/1.1 \(response.status) \(reasons[response.status] ?? "Status")\r\n"
        text += "Content-Length: \(response.body.count)\r\nConnection: close\r\n"
        for (key, value) in response.headers { text += "\(key): \(value)\r\n" }
        text += "\r\n"
        var out = Array(text.utf8)
        if !isHead { out += response.cutAfter.map { Array(response.body.prefix($0)) } ?? response.body }
        let delay = lock.withLock { chunkDelay }
        var offset = 0
        while offset < out.count {
            if delay > 0 && offset > 0 { usleep(delay) }
            #if canImport(Glibc)
            let piece = delay > 0 ? out[offset..<min(out.count, offset + 65536)] : out[offset...]
            let sent = piece.withUnsafeBytes { Glibc.send(client, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            #else
            let piece = delay > 0 ? out[offset..<min(out.count, offset + 65536)] : out[offset...]
            let sent = piece.withUnsafeBytes { Darwin.send(client, $0.baseAddress, $0.count, 0) }
            #endif
            guard sent > 0 else { return }
            offset += sent
        }
        if response.cutAfter != nil { usleep(20_000) }
    }
}

private func Glibc_listen(_ fd: Int32) -> Int32 {
    #if canImport(Glibc)
    return Glibc.listen(fd, 64)
    #else
    return Darwin.listen(fd, 64)
    #endif
}

extension [UInt8] {
    fileprivate var containsHeaderEnd: Bool {
        guard count >= 4 else { return false }
        for i in 0...(count - 4) where self[i] == 13 && self[i + 1] == 10 && self[i + 2] == 13 && self[i + 3] == 10 {
            return true
        }
        return false
    }
}

#endif
