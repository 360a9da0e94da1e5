import VVCompute

/// Failures when building or running model modules.
public enum ModelError: Error, CustomStringConvertible, Sendable {
    /// A forward call got inputs that do not fit the module or its cache.
    case invalidInput(module: String, reason: String)
    /// The KV cache has no room for the new tokens.
    case cacheFull(capacity: Int, needed: Int)
    /// A config asks for a variant this port does not implement (e.g. a LayerNorm σ-VAE).
    case unsupportedConfig(module: String, reason: String)

    /// One line describing the failure.
    public var description: String {
        switch self {
        case .invalidInput(let module, let reason): "\(module): \(reason)"
        case .cacheFull(let capacity, let needed): "KV cache full: capacity \(capacity), needed \(needed)"
        case .unsupportedConfig(let module, let reason): "\(module): unsupported config: \(reason)"
        }
    }
}
