import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// What the hub says about one file before it is downloaded.
struct RemoteFile: Sendable, Hashable {
    /// The path inside the repository.
    var name: String
    /// The URL to GET (a `resolve` URL, or a raw file URL).
    var url: URL
    /// The published digest.
    var checksum: Checksum
    /// The published length.
    var size: Int64
}

/// A repository listing from `GET /api/models/{repo}/revision/{revision}?blobs=true`.
struct RepoListing: Sendable {
    /// The commit the revision points at.
    var commit: String
    /// File name → (size, digest): `lfs.sha256` for LFS files, `blobId` (a git blob id) otherwise.
    var files: [String: (size: Int64, checksum: Checksum)]
}

/// The hub's HTTP surface used by the store, over Foundation's `URLSession`.
///
/// Authorization (`Bearer HF_TOKEN`) is only sent to the endpoint's own host; a redirect to another host (the CDN,
/// whose URLs are pre-signed) drops it, as `huggingface_hub` does.
struct HubClient: Sendable {
    /// Hub base URL (`HF_ENDPOINT`, default `https://huggingface.co`).
    var endpoint: URL
    /// Access token, if any.
    var token: String?
    /// Seconds of silence before a request fails.
    var timeout: TimeInterval = 60

    /// `{endpoint}/{repo}/resolve/{revision}/{file}`.
    func resolveURL(_ repo: HubRepo, revision: String, file: String) -> URL {
        endpoint.appendingPathComponent(repo.id).appendingPathComponent("resolve")
            .appendingPathComponent(revision).appendingPathComponent(file)
    }

    /// A request for `url` with the headers every store request carries.
    func request(_ url: URL, method: String = "GET") -> URLRequest {
        var request = URLRequest(url: url, cachePolicy: .reloadIgnoringLocalCacheData, timeoutInterval: timeout)
        request.httpMethod = method
        request.setValue("identity", forHTTPHeaderField: "Accept-Encoding")
        request.setValue("vibevoice-model-store/1", forHTTPHeaderField: "User-Agent")
        if let token, !token.isEmpty, url.host == endpoint.host, url.port == endpoint.port {
            request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        }
        return request
    }

    /// Lists `repo` at its revision with sizes and digests; nil when the endpoint has no such API (a plain mirror).
    func listing(_ repo: HubRepo) async throws -> RepoListing? {
        var url = endpoint.appendingPathComponent("api/models").appendingPathComponent(repo.id)
            .appendingPathComponent("revision").appendingPathComponent(repo.revision)
        url = URL(string: url.absoluteString + "?blobs=true") ?? url
        let (data, response) = try await fetch(request(url), followRedirects: true)
        switch response.statusCode {
        case 200: break
        case 401, 403: throw HubClient.statusError(response, url: url, repo: repo.id, tokenSent: token != nil) ?? .cancelled
        default: return nil
        }
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let commit = object["sha"] as? String, let siblings = object["siblings"] as? [[String: Any]]
        else { return nil }
        var files: [String: (size: Int64, checksum: Checksum)] = [:]
        for sibling in siblings {
            guard let name = sibling["rfilename"] as? String else { continue }
            if let lfs = sibling["lfs"] as? [String: Any], let sha = lfs["sha256"] as? String,
                let size = (lfs["size"] as? NSNumber)?.int64Value, HexEncoding.isHex(sha, count: 64)
            {
                files[name] = (size, .sha256(sha.lowercased()))
            } else if let blob = sibling["blobId"] as? String, let size = (sibling["size"] as? NSNumber)?.int64Value,
                HexEncoding.isHex(blob, count: 40)
            {
                files[name] = (size, .gitBlobSHA1(blob.lowercased()))
            }
        }
        return RepoListing(commit: commit, files: files)
    }

    /// Reads a file's digest and size with a HEAD that does not follow redirects, as `huggingface_hub` does:
    /// `X-Linked-Etag`/`X-Linked-Size` on the redirect of an LFS file, `ETag`/`Content-Length` on a small file.
    /// Returns nil on 404 (an optional file that is absent).
    func metadata(_ url: URL, name: String, repo: String) async throws -> RemoteFile? {
        let (_, response) = try await fetch(request(url, method: "HEAD"), followRedirects: false)
        if response.statusCode == 404 { return nil }
        if let error = HubClient.statusError(response, url: url, repo: repo, tokenSent: token != nil) { throw error }
        let headers = HeaderLookup(response)
        guard let etag = headers["X-Linked-Etag"] ?? headers["ETag"], let checksum = Checksum(etag: etag) else {
            throw ModelStoreError.badResponse(url: url.absoluteString, reason: "no usable ETag/X-Linked-Etag header")
        }
        let isRedirect = (300..<400).contains(response.statusCode)
        let sizeText = headers["X-Linked-Size"] ?? (isRedirect ? nil : headers["Content-Length"])
        guard let sizeText, let size = Int64(sizeText) else {
            throw ModelStoreError.badResponse(url: url.absoluteString, reason: "no X-Linked-Size/Content-Length header")
        }
        return RemoteFile(name: name, url: url, checksum: checksum, size: size)
    }

    /// Downloads a small file into memory (a shard index), following redirects.
    func data(_ url: URL, repo: String) async throws -> Data {
        let (data, response) = try await fetch(request(url), followRedirects: true)
        if let error = HubClient.statusError(response, url: url, repo: repo, tokenSent: token != nil) { throw error }
        return data
    }

    /// One request; transport failures become `ModelStoreError`.
    func fetch(_ request: URLRequest, followRedirects: Bool) async throws -> (Data, HTTPURLResponse) {
        let delegate = RedirectPolicy(follow: followRedirects, authorizedHost: endpoint.host)
        let session = URLSession(configuration: .ephemeral, delegate: delegate, delegateQueue: nil)
        defer { session.finishTasksAndInvalidate() }
        let url = request.url
        let box = TaskBox()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<(Data, HTTPURLResponse), Error>) in
                let task = session.dataTask(with: request) { data, response, error in
                    if let error {
                        continuation.resume(throwing: HubClient.transportError(error, url: url))
                    } else if let response = response as? HTTPURLResponse {
                        continuation.resume(returning: (data ?? Data(), response))
                    } else {
                        continuation.resume(
                            throwing: ModelStoreError.badResponse(url: url?.absoluteString ?? "?", reason: "not HTTP"))
                    }
                }
                box.set(task)
                task.resume()
            }
        } onCancel: {
            box.cancel()
        }
    }

    /// Maps an HTTP status to an error (nil for 1xx–3xx).
    static func statusError(_ response: HTTPURLResponse, url: URL, repo: String, tokenSent: Bool) -> ModelStoreError? {
        switch response.statusCode {
        case 100..<400: return nil
        case 401, 403:
            let message = HeaderLookup(response)["X-Error-Message"]
            return .unauthorized(repo: repo, status: response.statusCode, tokenSent: tokenSent, message: message)
        case 404: return .notFound(url: url.absoluteString)
        case 507: return .diskFull(path: url.absoluteString, needed: nil, available: nil)
        default: return .httpStatus(url: url.absoluteString, status: response.statusCode)
        }
    }

    /// Maps a transport error to an error a user can act on.
    static func transportError(_ error: Error, url: URL?) -> ModelStoreError {
        if let error = error as? ModelStoreError { return error }
        let host = url.map { u in u.host.map { h in u.port.map { "\(h):\($0)" } ?? h } ?? u.absoluteString } ?? "?"
        guard let urlError = error as? URLError else {
            return .unreachable(host: host, reason: error.localizedDescription)
        }
        let reason: String
        switch urlError.code {
        case .cancelled: return .cancelled
        case .cannotConnectToHost: reason = "connection refused"
        case .cannotFindHost, .dnsLookupFailed: reason = "host not found"
        case .notConnectedToInternet: reason = "no network connection"
        case .timedOut: reason = "timed out"
        case .networkConnectionLost: reason = "connection lost"
        case .secureConnectionFailed, .serverCertificateUntrusted, .serverCertificateHasBadDate,
            .serverCertificateNotYetValid, .serverCertificateHasUnknownRoot:
            reason = "TLS failure"
        default: reason = "network error \(urlError.code.rawValue)"
        }
        return .unreachable(host: host, reason: reason)
    }
}

/// Case-insensitive response header lookup.
struct HeaderLookup {
    private let fields: [String: String]

    /// Reads the headers of `response`.
    init(_ response: HTTPURLResponse) {
        var fields: [String: String] = [:]
        for (key, value) in response.allHeaderFields {
            if let key = key as? String, let value = value as? String { fields[key.lowercased()] = value }
        }
        self.fields = fields
    }

    /// The value of header `name`.
    subscript(_ name: String) -> String? { fields[name.lowercased()] }
}

/// Holds a task so a cancellation handler can reach it.
final class TaskBox: @unchecked Sendable {
    private let lock = NSLock()
    private var task: URLSessionTask?
    private var cancelled = false

    /// Stores the task (cancelling it at once if cancellation already happened).
    func set(_ task: URLSessionTask) {
        let cancelNow = lock.withLock { () -> Bool in
            self.task = task
            return cancelled
        }
        if cancelNow { task.cancel() }
    }

    /// Cancels the stored task.
    func cancel() {
        let task = lock.withLock { () -> URLSessionTask? in
            cancelled = true
            return self.task
        }
        task?.cancel()
    }
}

/// Redirect handling for small requests: follow or stop, and drop Authorization when leaving the hub's host.
final class RedirectPolicy: NSObject, URLSessionTaskDelegate, @unchecked Sendable {
    private let follow: Bool
    private let authorizedHost: String?

    init(follow: Bool, authorizedHost: String?) {
        self.follow = follow
        self.authorizedHost = authorizedHost
    }

    func urlSession(
        _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
        newRequest request: URLRequest, completionHandler: @escaping (URLRequest?) -> Void
    ) {
        // A redirect on the same host and port (a renamed repository) is always followed, as huggingface_hub does;
        // one to another host (the CDN of an LFS file) only when asked, so a HEAD can read the hub's own headers.
        let sameOrigin = request.url?.host == task.originalRequest?.url?.host && request.url?.port == task.originalRequest?.url?.port
        guard follow || sameOrigin else { return completionHandler(nil) }
        var next = request
        if next.url?.host != authorizedHost { next.setValue(nil, forHTTPHeaderField: "Authorization") }
        completionHandler(next)
    }
}
