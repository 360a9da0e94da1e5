import CVVKernels
import Foundation
import VVCompute

/// The CPU backend: the fp32 reference implementation of `ComputeBackend`, multithreaded, with AVX2/FMA/F16C kernels
/// picked at run time (CPUID) and portable C otherwise.
///
/// Weights stay in their checkpoint dtype (bf16 and f16 are widened inside the matmul loops), and weights uploaded
/// with an owner (memory-mapped files) are used in place without a copy. Ops run synchronously on the calling thread
/// plus the pool, so `synchronize` has nothing to wait for. Calls from several tasks are serialised per op.
public final class CPUBackend: ComputeBackend, @unchecked Sendable {
    /// Instruction-set levels for the kernels.
    public enum ISA: Int32, Sendable, CustomStringConvertible {
        /// Portable C.
        case scalar = 0
        /// AVX2 + FMA + F16C.
        case avx2 = 1

        /// `"scalar"` or `"avx2"`.
        public var description: String { self == .scalar ? "scalar" : "avx2" }

        /// The best level this machine supports.
        public static var detected: ISA { ISA(rawValue: vv_isa_detected()) ?? .scalar }
    }

    /// `"cpu"`.
    public let name = "cpu"
    /// The kernel level in use (the requested one, clamped to what the CPU supports).
    public let isa: ISA
    /// Worker threads, the caller included.
    public var threadCount: Int { pool.threadCount }
    let pool: ThreadPool
    private let lock = NSLock()

    /// Creates a backend using `threads` threads (default: active processors) and at most `isa` kernels.
    public init(threads: Int? = nil, isa requested: ISA? = nil) {
        let detected = ISA.detected
        if let requested, requested.rawValue < detected.rawValue {
            isa = requested
        } else {
            isa = detected
        }
        pool = ThreadPool(threads: threads ?? ProcessInfo.processInfo.activeProcessorCount)
    }

    /// Runs `count` chunks on the pool (serialised with other callers).
    func parallel(_ count: Int, _ body: @escaping (Int) -> Void) {
        lock.lock()
        defer { lock.unlock() }
        pool.parallelFor(count, body)
    }

    /// The host address of a tensor's first element.
    func address(_ tensor: Tensor, _ op: String) throws -> UnsafeMutableRawPointer {
        guard let buffer = tensor.buffer as? CPUBuffer else { throw ComputeError.foreignTensor(op: op) }
        return buffer.pointer + tensor.byteOffset
    }

    /// The f32 elements of a tensor, checking its dtype.
    func floats(_ tensor: Tensor, _ op: String) throws -> UnsafeMutablePointer<Float> {
        guard tensor.dtype == .f32 else { throw ComputeError.unsupportedDType(op: op, dtype: tensor.dtype) }
        return try address(tensor, op).assumingMemoryBound(to: Float.self)
    }

    /// A new zeroed f32 tensor and its elements.
    func allocate(_ shape: Shape) throws -> (Tensor, UnsafeMutablePointer<Float>) {
        let buffer = try CPUBuffer(byteCount: shape.elementCount * 4)
        return (Tensor(shape: shape, dtype: .f32, buffer: buffer), buffer.pointer.assumingMemoryBound(to: Float.self))
    }

    /// The kernel weight-type code for a dtype.
    func weightType(_ dtype: DType, _ op: String) throws -> Int32 {
        switch dtype {
        case .f32: VV_WEIGHT_F32
        case .bf16: VV_WEIGHT_BF16
        case .f16: VV_WEIGHT_F16
        case .i32: throw ComputeError.unsupportedDType(op: op, dtype: dtype)
        }
    }

    /// A zero-filled tensor.
    public func zeros(_ shape: Shape, dtype: DType) throws -> Tensor {
        Tensor(shape: shape, dtype: dtype, buffer: try CPUBuffer(byteCount: shape.elementCount * dtype.byteSize))
    }

    /// Copies host floats into a new f32 tensor.
    public func upload(_ values: [Float], shape: Shape) throws -> Tensor {
        guard values.count == shape.elementCount else {
            throw ComputeError.invalidArgument(op: "upload", reason: "\(values.count) values for shape \(shape)")
        }
        let (tensor, out) = try allocate(shape)
        values.withUnsafeBufferPointer { source in
            if let base = source.baseAddress { out.update(from: base, count: values.count) }
        }
        return tensor
    }

    /// Copies host integers into a new i32 tensor.
    public func uploadInt32(_ values: [Int32], shape: Shape) throws -> Tensor {
        guard values.count == shape.elementCount else {
            throw ComputeError.invalidArgument(op: "upload", reason: "\(values.count) values for shape \(shape)")
        }
        let buffer = try CPUBuffer(byteCount: values.count * 4)
        values.withUnsafeBytes { source in
            if let base = source.baseAddress { buffer.pointer.copyMemory(from: base, byteCount: source.count) }
        }
        return Tensor(shape: shape, dtype: .i32, buffer: buffer)
    }

    /// Wraps (with `owner`) or copies raw little-endian bytes.
    public func upload(bytes: UnsafeRawBufferPointer, dtype: DType, shape: Shape, owner: AnyObject?) throws -> Tensor {
        guard bytes.count == shape.elementCount * dtype.byteSize else {
            throw ComputeError.invalidArgument(op: "upload", reason: "\(bytes.count) bytes for \(dtype)\(shape)")
        }
        if let owner, let base = bytes.baseAddress, bytes.count > 0 {
            return Tensor(shape: shape, dtype: dtype, buffer: CPUBuffer(aliasing: base, count: bytes.count, owner: owner))
        }
        let buffer = try CPUBuffer(byteCount: bytes.count)
        if let base = bytes.baseAddress { buffer.pointer.copyMemory(from: base, byteCount: bytes.count) }
        return Tensor(shape: shape, dtype: dtype, buffer: buffer)
    }

    /// Converts to f32 and copies to the host.
    public func download(_ tensor: Tensor) throws -> [Float] {
        let source = try address(tensor, "download")
        let count = tensor.elementCount
        if tensor.dtype == .i32 {
            let ints = source.assumingMemoryBound(to: Int32.self)
            return (0..<count).map { Float(ints[$0]) }
        }
        let code = try weightType(tensor.dtype, "download")
        return [Float](unsafeUninitializedCapacity: count) { out, initialized in
            vv_convert_to_f32(isa.rawValue, code, source, out.baseAddress, Int64(count))
            initialized = count
        }
    }

    /// Copies an i32 tensor to the host.
    public func downloadInt32(_ tensor: Tensor) throws -> [Int32] {
        guard tensor.dtype == .i32 else { throw ComputeError.unsupportedDType(op: "downloadInt32", dtype: tensor.dtype) }
        let source = try address(tensor, "downloadInt32").assumingMemoryBound(to: Int32.self)
        return Array(UnsafeBufferPointer(start: source, count: tensor.elementCount))
    }

    /// Nothing to wait for: CPU ops complete before they return.
    public func synchronize() throws {}
}
