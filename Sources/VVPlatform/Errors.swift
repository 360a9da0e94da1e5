/// Failures of the per-OS shims in `VVPlatform`.
public enum PlatformError: Error, CustomStringConvertible, Equatable, Sendable {
    /// A file could not be opened, sized or mapped; `reason` carries the OS message or errno.
    case fileMapping(path: String, reason: String)

    /// One line describing the failure.
    public var description: String {
        switch self {
        case .fileMapping(let path, let reason): "cannot map file '\(path)': \(reason)"
        }
    }
}
