/// Failures of compute operations and backends.
public enum ComputeError: Error, CustomStringConvertible, Equatable, Sendable {
    /// An op got tensors whose shapes or dtypes do not fit together.
    case invalidArgument(op: String, reason: String)
    /// A dtype the op does not implement for that argument.
    case unsupportedDType(op: String, dtype: DType)
    /// The backend could not allocate `bytes` bytes.
    case outOfMemory(bytes: Int)
    /// A tensor from another backend was passed in.
    case foreignTensor(op: String)
    /// No backend could be created; `reasons` names each one tried and why it failed.
    case noBackend(reasons: [String])

    /// One line describing the failure.
    public var description: String {
        switch self {
        case .invalidArgument(let op, let reason): "\(op): \(reason)"
        case .unsupportedDType(let op, let dtype): "\(op): dtype \(dtype) is not supported"
        case .outOfMemory(let bytes): "out of memory allocating \(bytes) bytes"
        case .foreignTensor(let op): "\(op): tensor belongs to another backend"
        case .noBackend(let reasons): "no compute backend available: " + reasons.joined(separator: "; ")
        }
    }
}
