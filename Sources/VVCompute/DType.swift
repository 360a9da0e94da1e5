/// Element types of device tensors.
///
/// Arithmetic is fp32; bf16 and f16 exist for weights (kept as 16-bit patterns, never the Swift `Float16` type),
/// and i32 for token ids, positions and argmax results.
public enum DType: String, Sendable, Equatable, CaseIterable, CustomStringConvertible {
    /// IEEE binary32.
    case f32
    /// IEEE binary16, stored as `UInt16` bit patterns.
    case f16
    /// bfloat16, stored as `UInt16` bit patterns.
    case bf16
    /// Signed 32-bit integer.
    case i32

    /// Bytes per element.
    public var byteSize: Int {
        switch self {
        case .f32, .i32: 4
        case .f16, .bf16: 2
        }
    }

    /// The lowercase name (`"bf16"`).
    public var description: String { rawValue }
}
