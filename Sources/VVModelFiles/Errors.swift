/// Failures while reading or writing checkpoint files, configs, or binding tensors to modules.
public enum CheckpointError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The safetensors file is malformed; `reason` says which check failed.
    case invalidSafetensors(path: String, reason: String)
    /// A sharded checkpoint's index or shards disagree.
    case invalidIndex(path: String, reason: String)
    /// A config.json is missing a required key, has a bad value, or is not JSON.
    case invalidConfig(path: String, reason: String)
    /// No checkpoint file was found at the path.
    case notFound(path: String)
    /// Reading or writing a file failed.
    case io(path: String, reason: String)
    /// A tensor was requested in a dtype or shape the caller cannot convert.
    case unsupportedConversion(name: String, reason: String)
    /// Binding tensors to modules found problems; every one is listed in the report.
    case binding(BindingReport)

    /// One line (for binding: one line per problem) describing the failure.
    public var description: String {
        switch self {
        case .invalidSafetensors(let path, let reason): "invalid safetensors file '\(path)': \(reason)"
        case .invalidIndex(let path, let reason): "invalid sharded checkpoint index '\(path)': \(reason)"
        case .invalidConfig(let path, let reason): "invalid config '\(path)': \(reason)"
        case .notFound(let path): "no checkpoint found at '\(path)'"
        case .io(let path, let reason): "I/O error on '\(path)': \(reason)"
        case .unsupportedConversion(let name, let reason): "tensor '\(name)': \(reason)"
        case .binding(let report): report.description
        }
    }
}
