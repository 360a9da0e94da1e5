/// A dense, row-major tensor living on a backend: shape, dtype and an opaque buffer (plus a byte offset for views).
///
/// A `Tensor` is a cheap value: copying it shares the buffer. Ops that write in place (KV cache writes, `copy`) say so
/// in their docs; every other op returns a new tensor. Host access goes through the backend's explicit download
/// calls, which are synchronisation points.
public struct Tensor: Sendable {
    /// The dimensions.
    public let shape: Shape
    /// The element type.
    public let dtype: DType
    /// The backend allocation holding the elements.
    public let buffer: any DeviceBuffer
    /// Where the elements start inside `buffer`, in bytes.
    public let byteOffset: Int

    /// Wraps a backend buffer; backends call this, model code gets tensors from ops.
    public init(shape: Shape, dtype: DType, buffer: any DeviceBuffer, byteOffset: Int = 0) {
        precondition(byteOffset + shape.elementCount * dtype.byteSize <= buffer.byteCount, "tensor exceeds its buffer")
        self.shape = shape
        self.dtype = dtype
        self.buffer = buffer
        self.byteOffset = byteOffset
    }

    /// The number of elements.
    public var elementCount: Int { shape.elementCount }
    /// The number of bytes the elements occupy.
    public var byteCount: Int { shape.elementCount * dtype.byteSize }

    /// The same elements under another shape with the same element count (a view, no copy).
    /// - Throws: `ComputeError.invalidArgument` when the counts differ.
    public func reshaped(_ newShape: Shape) throws -> Tensor {
        guard newShape.elementCount == shape.elementCount else {
            throw ComputeError.invalidArgument(op: "reshape", reason: "\(shape) has a different count from \(newShape)")
        }
        return Tensor(shape: newShape, dtype: dtype, buffer: buffer, byteOffset: byteOffset)
    }

    /// Rows `range` of the outermost dimension (a view, no copy).
    /// - Throws: `ComputeError.invalidArgument` for rank 0 or a range outside `0..<shape[0]`.
    public func rows(_ range: Range<Int>) throws -> Tensor {
        guard shape.rank >= 1, range.lowerBound >= 0, range.upperBound <= shape[0] else {
            throw ComputeError.invalidArgument(op: "rows", reason: "\(range) outside \(shape)")
        }
        let rowElements = shape.dims.dropFirst().reduce(1, *)
        var dims = shape.dims
        dims[0] = range.count
        return Tensor(
            shape: Shape(dims), dtype: dtype, buffer: buffer,
            byteOffset: byteOffset + range.lowerBound * rowElements * dtype.byteSize)
    }
}
