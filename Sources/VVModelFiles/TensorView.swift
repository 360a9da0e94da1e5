import VVPlatform

/// A zero-copy, read-only view of one tensor's bytes inside a checkpoint (usually a memory-mapped file).
///
/// `bytes` stays valid as long as `owner` is alive; the view holds it. Data is little-endian, row-major, and may be
/// only as aligned as its dtype's size in the file, so readers must use unaligned loads.
public struct TensorView: @unchecked Sendable {
    /// The checkpoint name, e.g. `model.language_model.layers.0.self_attn.q_proj.weight`.
    public let name: String
    /// The element type declared in the header.
    public let dtype: SafetensorsDType
    /// The dimensions, outermost first (`[]` for a 0-d scalar).
    public let shape: [Int]
    /// The raw element bytes (`elementCount * dtype.byteSize` of them).
    public let bytes: UnsafeRawBufferPointer
    /// The object keeping `bytes` alive (a `MappedFile` or an in-memory buffer).
    public let owner: AnyObject

    /// Creates a view; the caller guarantees `bytes.count == product(shape) * dtype.byteSize`.
    public init(name: String, dtype: SafetensorsDType, shape: [Int], bytes: UnsafeRawBufferPointer, owner: AnyObject) {
        self.name = name
        self.dtype = dtype
        self.shape = shape
        self.bytes = bytes
        self.owner = owner
    }

    /// The number of elements (1 for a 0-d scalar).
    public var elementCount: Int { shape.reduce(1, *) }

    /// Copies the elements out as `Float` (floats widen; integers convert; F8 types are refused).
    /// - Throws: `CheckpointError.unsupportedConversion` for the F8 types.
    public func floats() throws -> [Float] {
        let count = elementCount
        let raw = bytes
        func load<T>(_: T.Type, _ i: Int) -> T { raw.loadUnaligned(fromByteOffset: i * MemoryLayout<T>.size, as: T.self) }
        switch dtype {
        case .f32: return (0..<count).map { load(Float.self, $0) }
        case .f64: return (0..<count).map { Float(load(Double.self, $0)) }
        case .bf16: return (0..<count).map { HalfPrecision.bf16ToFloat(UInt16(littleEndian: load(UInt16.self, $0))) }
        case .f16: return (0..<count).map { HalfPrecision.f16ToFloat(UInt16(littleEndian: load(UInt16.self, $0))) }
        case .bool, .u8: return (0..<count).map { Float(load(UInt8.self, $0)) }
        case .i8: return (0..<count).map { Float(load(Int8.self, $0)) }
        case .i16: return (0..<count).map { Float(Int16(littleEndian: load(Int16.self, $0))) }
        case .u16: return (0..<count).map { Float(UInt16(littleEndian: load(UInt16.self, $0))) }
        case .i32: return (0..<count).map { Float(Int32(littleEndian: load(Int32.self, $0))) }
        case .u32: return (0..<count).map { Float(UInt32(littleEndian: load(UInt32.self, $0))) }
        case .i64: return (0..<count).map { Float(Int64(littleEndian: load(Int64.self, $0))) }
        case .u64: return (0..<count).map { Float(UInt64(littleEndian: load(UInt64.self, $0))) }
        case .f8e4m3, .f8e5m2:
            throw CheckpointError.unsupportedConversion(name: name, reason: "\(dtype.rawValue) cannot be read as Float")
        }
    }

    /// Copies integer elements out as `Int` (any integer or bool dtype).
    /// - Throws: `CheckpointError.unsupportedConversion` for floating-point dtypes.
    public func integers() throws -> [Int] {
        let count = elementCount
        let raw = bytes
        func load<T>(_: T.Type, _ i: Int) -> T { raw.loadUnaligned(fromByteOffset: i * MemoryLayout<T>.size, as: T.self) }
        switch dtype {
        case .bool, .u8: return (0..<count).map { Int(load(UInt8.self, $0)) }
        case .i8: return (0..<count).map { Int(load(Int8.self, $0)) }
        case .i16: return (0..<count).map { Int(Int16(littleEndian: load(Int16.self, $0))) }
        case .u16: return (0..<count).map { Int(UInt16(littleEndian: load(UInt16.self, $0))) }
        case .i32: return (0..<count).map { Int(Int32(littleEndian: load(Int32.self, $0))) }
        case .u32: return (0..<count).map { Int(UInt32(littleEndian: load(UInt32.self, $0))) }
        case .i64: return (0..<count).map { Int(Int64(littleEndian: load(Int64.self, $0))) }
        case .u64: return (0..<count).map { Int(truncatingIfNeeded: UInt64(littleEndian: load(UInt64.self, $0))) }
        default:
            throw CheckpointError.unsupportedConversion(name: name, reason: "\(dtype.rawValue) is not an integer type")
        }
    }
}
