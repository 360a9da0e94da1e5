import Foundation

/// What can go wrong while finding, downloading, verifying or removing model files.
///
/// Each case's `description` is one line meant for a user: it says what failed, where, and what to do.
public enum ModelStoreError: Error, Sendable, Equatable, CustomStringConvertible, LocalizedError {
    /// The host could not be reached (no network, DNS failure, refused, timed out, connection lost).
    case unreachable(host: String, reason: String)
    /// The hub answered 401 or 403: the repository is gated or private (or a token is wrong).
    case unauthorized(repo: String, status: Int, tokenSent: Bool, message: String?)
    /// The hub answered 404 for a repository, revision or file.
    case notFound(url: String)
    /// Any other unexpected HTTP status.
    case httpStatus(url: String, status: Int)
    /// A downloaded file's content does not match the published digest; the file was discarded.
    case checksumMismatch(file: String, expected: Checksum, actual: Checksum)
    /// A downloaded file's length does not match the published size; the file was discarded.
    case sizeMismatch(file: String, expected: Int64, actual: Int64)
    /// Not enough free disk space at `path`.
    case diskFull(path: String, needed: Int64?, available: Int64?)
    /// A file-system operation failed.
    case fileSystem(path: String, reason: String)
    /// The hub's answer could not be understood (bad JSON, missing headers, bad shard index).
    case badResponse(url: String, reason: String)
    /// Downloads are disabled (`HF_HUB_OFFLINE`, `--offline`) and the model is not complete locally.
    case offline(model: String)
    /// A configured local folder lacks files the model needs.
    case incompleteFolder(path: String, missing: [String])
    /// The model is not in the cache and downloading was not allowed.
    case notCached(model: String)
    /// The name is not a known model.
    case unknownModel(String)
    /// The pull was cancelled.
    case cancelled

    /// One line for the user.
    public var description: String {
        switch self {
        case .unreachable(let host, let reason):
            return "cannot reach \(host) (\(reason)); check the network, or set HF_ENDPOINT to a reachable mirror"
        case .unauthorized(let repo, let status, let tokenSent, let message):
            let detail = message.map { ": \($0)" } ?? ""
            let hint = tokenSent
                ? "the token in HF_TOKEN has no access; accept the model's terms at https://huggingface.co/\(repo) or use another token"
                : "the repository is gated or private; set HF_TOKEN to a token from https://huggingface.co/settings/tokens"
            return "access to \(repo) denied (HTTP \(status))\(detail); \(hint)"
        case .notFound(let url):
            return "not found (HTTP 404): \(url)"
        case .httpStatus(let url, let status):
            return "unexpected HTTP \(status) from \(url)"
        case .checksumMismatch(let file, let expected, let actual):
            return "checksum mismatch for \(file): expected \(expected), got \(actual); the download was discarded, run the pull again"
        case .sizeMismatch(let file, let expected, let actual):
            return "size mismatch for \(file): expected \(expected) bytes, got \(actual); the download was discarded, run the pull again"
        case .diskFull(let path, let needed, let available):
            let amounts = [needed.map { "need \(ByteCountText.format($0))" }, available.map { "\(ByteCountText.format($0)) free" }]
                .compactMap { $0 }.joined(separator: ", ")
            return "not enough disk space at \(path)\(amounts.isEmpty ? "" : " (\(amounts))"); free some space or choose another cache directory"
        case .fileSystem(let path, let reason):
            return "file error at \(path): \(reason)"
        case .badResponse(let url, let reason):
            return "unexpected answer from \(url): \(reason)"
        case .offline(let model):
            return "\(model) is not fully downloaded and downloads are disabled (offline mode)"
        case .incompleteFolder(let path, let missing):
            return "\(path) is not a usable model folder: missing \(missing.joined(separator: ", "))"
        case .notCached(let model):
            return "\(model) is not downloaded; run `vibevoice models pull \(model)`"
        case .unknownModel(let name):
            return "unknown model '\(name)'; known: \(ModelKind.allCases.map(\.rawValue).joined(separator: ", "))"
        case .cancelled:
            return "cancelled"
        }
    }

    /// Same as `description`, for `LocalizedError` users.
    public var errorDescription: String? { description }
}
