import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// One resumable GET of one file into its part file, hashed as the bytes arrive.
///
/// The part file is appended to from its current length with `Range: bytes=<length>-`; the bytes already there are
/// hashed first. A `200` to a range request restarts from zero; a `206` must start where asked; a `416` means the part
/// already holds everything the server has (or is wrong, and the caller starts over).
final class FileTransfer: NSObject, URLSessionDataDelegate, @unchecked Sendable {
    /// How a transfer ended without error.
    enum Outcome: Sendable {
        /// The server sent everything; the part file holds `bytes` bytes hashed to `checksum`.
        case finished(bytes: Int64, checksum: Checksum)
        /// The server refused the range (416): the part file is not resumable as is.
        case rangeNotSatisfiable(partBytes: Int64)
    }

    private let file: RemoteFile
    private let partURL: URL
    private let client: HubClient
    private let repo: String
    private let onBytes: @Sendable (Int64) -> Void

    private let lock = NSLock()
    private var handle: FileHandle?
    private var hasher: ChecksumHasher
    private var written: Int64 = 0
    private var startOffset: Int64 = 0
    private var failure: ModelStoreError?
    private var rangeRefused = false
    private var lastReport: Int64 = 0
    private var continuation: CheckedContinuation<Void, Never>?

    /// Prepares a transfer of `file` into `partURL`; `onBytes` gets the part's length as it grows.
    init(file: RemoteFile, partURL: URL, client: HubClient, repo: String, onBytes: @escaping @Sendable (Int64) -> Void) {
        self.file = file
        self.partURL = partURL
        self.client = client
        self.repo = repo
        self.onBytes = onBytes
        self.hasher = ChecksumHasher(kind: file.checksum, length: file.size)
    }

    /// Runs the transfer to its end.
    func run() async throws -> Outcome {
        try openPart()
        defer { lock.withLock { try? handle?.close(); handle = nil } }
        if startOffset == file.size {
            // Everything arrived before (the rename did not happen): verify without asking the server again.
            return lock.withLock { .finished(bytes: written, checksum: hasher.finalize()) }
        }
        var request = client.request(file.url)
        if startOffset > 0 { request.setValue("bytes=\(startOffset)-", forHTTPHeaderField: "Range") }
        let queue = OperationQueue()
        queue.maxConcurrentOperationCount = 1
        let session = URLSession(configuration: .ephemeral, delegate: self, delegateQueue: queue)
        defer { session.finishTasksAndInvalidate() }
        let task = session.dataTask(with: request)
        let box = TaskBox()
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                lock.withLock { self.continuation = continuation }
                box.set(task)
                task.resume()
            }
        } onCancel: {
            box.cancel()
        }
        return try lock.withLock { () throws -> Outcome in
            if let failure { throw failure }
            if rangeRefused { return .rangeNotSatisfiable(partBytes: startOffset) }
            try handle?.synchronize()
            return .finished(bytes: written, checksum: hasher.finalize())
        }
    }

    /// Opens the part file for appending and hashes what it already holds.
    private func openPart() throws {
        let manager = FileManager.default
        if !manager.fileExists(atPath: partURL.path) {
            guard manager.createFile(atPath: partURL.path, contents: nil) else {
                throw ModelStoreError.fileSystem(path: partURL.path, reason: "cannot create file")
            }
        }
        do {
            let reader = try FileHandle(forReadingFrom: partURL)
            defer { try? reader.close() }
            var total: Int64 = 0
            while let chunk = try reader.read(upToCount: 4 << 20), !chunk.isEmpty {
                if total + Int64(chunk.count) > file.size { break }
                chunk.withUnsafeBytes { hasher.update($0.bindMemory(to: UInt8.self)) }
                total += Int64(chunk.count)
            }
            let writer = try FileHandle(forWritingTo: partURL)
            if total != (try writer.seekToEnd()) {
                // Longer than the file can be: start over.
                try writer.truncate(atOffset: 0)
                hasher = ChecksumHasher(kind: file.checksum, length: file.size)
                total = 0
            }
            handle = writer
            startOffset = total
            written = total
        } catch {
            throw ModelStoreError.fileSystem(path: partURL.path, reason: error.localizedDescription)
        }
    }

    private func fail(_ error: ModelStoreError, _ task: URLSessionTask) {
        lock.withLock { if failure == nil { failure = error } }
        task.cancel()
    }

    func urlSession(
        _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
        newRequest request: URLRequest, completionHandler: @escaping (URLRequest?) -> Void
    ) {
        // The redirect of an LFS file names its digest; a different one means the file changed since it was listed.
        let headers = HeaderLookup(response)
        if let linked = headers["X-Linked-Etag"].flatMap(Checksum.init(etag:)), linked != file.checksum,
            case .sha256 = linked, case .sha256 = file.checksum
        {
            fail(.checksumMismatch(file: file.name, expected: file.checksum, actual: linked), task)
            return completionHandler(nil)
        }
        var next = request
        let offset = lock.withLock { startOffset }
        next.setValue(offset > 0 ? "bytes=\(offset)-" : nil, forHTTPHeaderField: "Range")
        next.setValue("identity", forHTTPHeaderField: "Accept-Encoding")
        if next.url?.host != client.endpoint.host || next.url?.port != client.endpoint.port {
            next.setValue(nil, forHTTPHeaderField: "Authorization")
        }
        completionHandler(next)
    }

    func urlSession(
        _ session: URLSession, dataTask: URLSessionDataTask, didReceive response: URLResponse,
        completionHandler: @escaping (URLSession.ResponseDisposition) -> Void
    ) {
        guard let http = response as? HTTPURLResponse else {
            fail(.badResponse(url: file.url.absoluteString, reason: "not HTTP"), dataTask)
            return completionHandler(.cancel)
        }
        switch http.statusCode {
        case 200:
            let restarted: Bool = lock.withLock {
                guard written > 0 else { return true }
                do {
                    try handle?.truncate(atOffset: 0)
                } catch {
                    return false
                }
                hasher = ChecksumHasher(kind: file.checksum, length: file.size)
                written = 0
                startOffset = 0
                return true
            }
            if !restarted {
                fail(.fileSystem(path: partURL.path, reason: "cannot truncate"), dataTask)
                return completionHandler(.cancel)
            }
        case 206:
            let offset = lock.withLock { startOffset }
            let range = HeaderLookup(http)["Content-Range"] ?? ""
            guard range.hasPrefix("bytes \(offset)-") else {
                fail(.badResponse(url: file.url.absoluteString, reason: "asked for bytes from \(offset), got '\(range)'"), dataTask)
                return completionHandler(.cancel)
            }
        case 416:
            lock.withLock { rangeRefused = true }
            return completionHandler(.cancel)
        default:
            let error = HubClient.statusError(http, url: file.url, repo: repo, tokenSent: client.token != nil)
                ?? .httpStatus(url: file.url.absoluteString, status: http.statusCode)
            fail(error, dataTask)
            return completionHandler(.cancel)
        }
        completionHandler(.allow)
    }

    func urlSession(_ session: URLSession, dataTask: URLSessionDataTask, didReceive data: Data) {
        let (report, error): (Int64?, ModelStoreError?) = lock.withLock {
            guard failure == nil, let handle else { return (nil, nil) }
            if written + Int64(data.count) > file.size {
                return (nil, .sizeMismatch(file: file.name, expected: file.size, actual: written + Int64(data.count)))
            }
            do {
                try handle.write(contentsOf: data)
            } catch {
                return (nil, FileTransfer.writeError(error, path: partURL.path))
            }
            data.withUnsafeBytes { hasher.update($0.bindMemory(to: UInt8.self)) }
            written += Int64(data.count)
            if written - lastReport >= 1 << 20 || written == file.size {
                lastReport = written
                return (written, nil)
            }
            return (nil, nil)
        }
        if let error { return fail(error, dataTask) }
        if let report { onBytes(report) }
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: Error?) {
        let continuation: CheckedContinuation<Void, Never>? = lock.withLock {
            if let error, failure == nil, !rangeRefused {
                failure = HubClient.transportError(error, url: task.currentRequest?.url ?? file.url)
            }
            defer { self.continuation = nil }
            return self.continuation
        }
        continuation?.resume()
    }

    /// Maps a write failure: no space left becomes `diskFull`.
    static func writeError(_ error: Error, path: String) -> ModelStoreError {
        let ns = error as NSError
        let enospc = 28
        if (ns.domain == NSPOSIXErrorDomain && ns.code == enospc) || (ns.domain == NSCocoaErrorDomain && ns.code == NSFileWriteOutOfSpaceError) {
            return .diskFull(path: path, needed: nil, available: nil)
        }
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain,
            underlying.code == enospc
        {
            return .diskFull(path: path, needed: nil, available: nil)
        }
        return .fileSystem(path: path, reason: error.localizedDescription)
    }
}
