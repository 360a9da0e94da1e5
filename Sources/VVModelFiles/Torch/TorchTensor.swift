/// Element types a torch file may hold, named after the legacy storage classes `torch.save` writes
/// (`torch.BFloat16Storage`, `torch.FloatStorage`, ...).
public enum TorchDType: String, Sendable, CaseIterable, CustomStringConvertible {
    /// bfloat16, kept as `UInt16` bit patterns.
    case bfloat16
    /// IEEE half precision, kept as `UInt16` bit patterns (never the Swift `Float16` type).
    case float16
    /// IEEE single precision.
    case float32
    /// IEEE double precision.
    case float64
    /// Signed 8-bit integers.
    case int8
    /// Unsigned 8-bit integers.
    case uint8
    /// Signed 16-bit integers.
    case int16
    /// Signed 32-bit integers.
    case int32
    /// Signed 64-bit integers.
    case int64
    /// Booleans, one byte each.
    case bool

    /// Bytes per element.
    public var byteSize: Int {
        switch self {
        case .int8, .uint8, .bool: return 1
        case .bfloat16, .float16, .int16: return 2
        case .float32, .int32: return 4
        case .float64, .int64: return 8
        }
    }

    /// The dtype of a storage class name in the `torch` module (`BFloat16Storage` → `.bfloat16`), or `nil`.
    public init?(storageClass name: String) {
        switch name {
        case "BFloat16Storage": self = .bfloat16
        case "HalfStorage": self = .float16
        case "FloatStorage": self = .float32
        case "DoubleStorage": self = .float64
        case "CharStorage": self = .int8
        case "ByteStorage": self = .uint8
        case "ShortStorage": self = .int16
        case "IntStorage": self = .int32
        case "LongStorage": self = .int64
        case "BoolStorage": self = .bool
        default: return nil
        }
    }

    /// The name torch prints (`bfloat16`, `float32`...).
    public var description: String { rawValue }
}

/// A tensor read from a torch file: dtype, shape, strides and the raw little-endian bytes it covers.
///
/// `bytes` starts at the tensor's first element (the storage offset is already applied) and holds exactly the span
/// that `shape` and `strides` reach: the element at index `(i0, i1, ...)` sits at byte
/// `(i0 * strides[0] + i1 * strides[1] + ...) * dtype.byteSize`. Half-precision values stay as bit patterns.
public struct TorchTensor: Sendable, Equatable {
    /// Element type.
    public let dtype: TorchDType
    /// Size of each dimension (empty for a scalar).
    public let shape: [Int]
    /// Step of each dimension, in elements.
    public let strides: [Int]
    /// The raw bytes the tensor covers, little-endian.
    public let bytes: [UInt8]

    /// Creates a tensor, checking that `shape` and `strides` stay inside `bytes`.
    public init(dtype: TorchDType, shape: [Int], strides: [Int], bytes: [UInt8]) throws(TorchFileError) {
        let span = try Self.span(shape: shape, strides: strides)
        guard let needed = Self.multiply(span, dtype.byteSize), needed <= bytes.count else {
            throw .badTensor(
                "shape \(shape) with strides \(strides) needs \(span) \(dtype) elements, have \(bytes.count) bytes")
        }
        self.dtype = dtype
        self.shape = shape
        self.strides = strides
        self.bytes = bytes
    }

    /// Number of elements (the product of `shape`; 1 for a scalar).
    public var elementCount: Int { shape.reduce(1, *) }

    /// Whether the elements are stored row-major with no gaps.
    public var isContiguous: Bool { strides == Self.contiguousStrides(shape) || elementCount <= 1 }

    /// Row-major strides for `shape`.
    public static func contiguousStrides(_ shape: [Int]) -> [Int] {
        var strides = [Int](repeating: 1, count: shape.count)
        var step = 1
        for axis in shape.indices.reversed() {
            strides[axis] = step
            step *= max(shape[axis], 1)
        }
        return strides
    }

    /// Number of elements a storage must hold from the offset on for `shape`/`strides` (0 for an empty tensor).
    ///
    /// Throws for negative sizes or strides, mismatched ranks, and arithmetic overflow.
    static func span(shape: [Int], strides: [Int]) throws(TorchFileError) -> Int {
        guard shape.count == strides.count else {
            throw .badTensor("shape \(shape) and strides \(strides) have different ranks")
        }
        guard shape.allSatisfy({ $0 >= 0 }), strides.allSatisfy({ $0 >= 0 }) else {
            throw .badTensor("negative size or stride in shape \(shape), strides \(strides)")
        }
        var count = 1
        for size in shape {
            guard let product = multiply(count, size), product <= maxElements else {
                throw .badTensor("shape \(shape) has more than \(maxElements) elements")
            }
            count = product
        }
        if count == 0 { return 0 }
        var last = 0
        for (size, stride) in zip(shape, strides) {
            let (sum, overflow) = last.addingReportingOverflow(multiply(size - 1, stride) ?? Int.max)
            guard !overflow, sum < Int.max else { throw .badTensor("shape \(shape) with strides \(strides) overflows") }
            last = sum
        }
        return last + 1
    }

    /// Most elements one tensor may have (2^40): bounds the work of strided views whose strides are 0.
    public static let maxElements = 1 << 40

    static func multiply(_ a: Int, _ b: Int) -> Int? {
        let (product, overflow) = a.multipliedReportingOverflow(by: b)
        return overflow ? nil : product
    }

    /// Byte offsets of every element in row-major (logical) order.
    public func elementByteOffsets() -> [Int] {
        let count = elementCount
        guard count > 0 else { return [] }
        let size = dtype.byteSize
        if isContiguous { return (0..<count).map { $0 * size } }
        var offsets: [Int] = []
        offsets.reserveCapacity(count)
        var index = [Int](repeating: 0, count: shape.count)
        var offset = 0
        for _ in 0..<count {
            offsets.append(offset * size)
            var axis = shape.count - 1
            while axis >= 0 {
                index[axis] += 1
                offset += strides[axis]
                if index[axis] < shape[axis] { break }
                offset -= strides[axis] * shape[axis]
                index[axis] = 0
                axis -= 1
            }
        }
        return offsets
    }

    /// The same values laid out row-major with no gaps.
    public func contiguous() -> TorchTensor {
        if isContiguous && bytes.count == elementCount * dtype.byteSize { return self }
        let size = dtype.byteSize
        var packed: [UInt8] = []
        packed.reserveCapacity(elementCount * size)
        for offset in elementByteOffsets() { packed.append(contentsOf: bytes[offset..<(offset + size)]) }
        // The packed bytes fit the contiguous strides by construction.
        return TorchTensor(unchecked: dtype, shape: shape, strides: Self.contiguousStrides(shape), bytes: packed)
    }

    private init(unchecked dtype: TorchDType, shape: [Int], strides: [Int], bytes: [UInt8]) {
        self.dtype = dtype
        self.shape = shape
        self.strides = strides
        self.bytes = bytes
    }

    /// CRC-32 (the zip checksum) of the tensor's bytes in row-major order, to compare with what torch reads.
    public func checksum() -> UInt32 {
        ZipCRC32.checksum(contiguous().bytes)
    }

    /// The 16-bit patterns of a `bfloat16` or `float16` tensor in row-major order.
    public func halfBits() throws(TorchFileError) -> [UInt16] {
        guard dtype == .bfloat16 || dtype == .float16 else {
            throw .badTensor("halfBits() needs a bfloat16 or float16 tensor, this one is \(dtype)")
        }
        if isContiguous {
            return (0..<elementCount).map { UInt16(bytes[2 * $0]) | UInt16(bytes[2 * $0 + 1]) << 8 }
        }
        return elementByteOffsets().map { UInt16(bytes[$0]) | UInt16(bytes[$0 + 1]) << 8 }
    }

    /// The values widened (or, for float64 and integers, converted) to `Float`, in row-major order.
    public func floatValues() -> [Float] {
        elementByteOffsets().map { offset in
            func raw(_ count: Int) -> UInt64 {
                var value: UInt64 = 0
                for i in 0..<count { value |= UInt64(bytes[offset + i]) << (8 * i) }
                return value
            }
            switch dtype {
            case .bfloat16: return Float(bitPattern: UInt32(raw(2)) << 16)
            case .float16: return Self.halfToFloat(UInt16(raw(2)))
            case .float32: return Float(bitPattern: UInt32(raw(4)))
            case .float64: return Float(Double(bitPattern: raw(8)))
            case .int8: return Float(Int8(bitPattern: UInt8(raw(1))))
            case .uint8: return Float(UInt8(raw(1)))
            case .bool: return raw(1) != 0 ? 1 : 0
            case .int16: return Float(Int16(bitPattern: UInt16(raw(2))))
            case .int32: return Float(Int32(bitPattern: UInt32(raw(4))))
            case .int64: return Float(Int64(bitPattern: raw(8)))
            }
        }
    }

    /// Converts IEEE half-precision bits to `Float` exactly (subnormals, infinities and NaN included).
    public static func halfToFloat(_ bits: UInt16) -> Float {
        let sign = UInt32(bits >> 15) << 31
        let exponent = Int(bits >> 10) & 0x1F
        let mantissa = UInt32(bits & 0x3FF)
        switch exponent {
        case 0:
            let magnitude = Float(mantissa) * Float(sign: .plus, exponent: -24, significand: 1)
            return sign != 0 ? -magnitude : magnitude
        case 31:
            return Float(bitPattern: sign | 0x7F80_0000 | (mantissa << 13))
        default:
            return Float(bitPattern: sign | UInt32(exponent - 15 + 127) << 23 | (mantissa << 13))
        }
    }
}
