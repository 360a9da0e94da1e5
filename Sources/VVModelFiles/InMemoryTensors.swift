/// A `TensorSource` over tensors held in memory, for tests and benchmarks (random weights at any shape).
public final class InMemoryTensors: TensorSource, @unchecked Sendable {
    private final class Storage {
        let pointer: UnsafeMutableRawBufferPointer
        init(count: Int) {
            pointer = .allocate(byteCount: max(count, 1), alignment: 64)
        }
        deinit { pointer.deallocate() }
    }

    private var views: [String: TensorView] = [:]

    /// Creates an empty source.
    public init() {}

    /// Every tensor name, sorted.
    public var tensorNames: [String] { views.keys.sorted() }

    /// The tensor called `name`, or nil.
    public func tensor(named name: String) -> TensorView? { views[name] }

    /// Adds a tensor whose bytes `fill` writes into a fresh buffer of `product(shape) * dtype.byteSize` bytes.
    /// Not thread-safe: build the source on one thread, then share it.
    public func add(
        _ name: String, dtype: SafetensorsDType, shape: [Int], fill: (UnsafeMutableRawBufferPointer) -> Void
    ) {
        let count = shape.reduce(1, *) * dtype.byteSize
        let storage = Storage(count: count)
        let region = UnsafeMutableRawBufferPointer(rebasing: storage.pointer[0..<count])
        fill(region)
        views[name] = TensorView(
            name: name, dtype: dtype, shape: shape, bytes: UnsafeRawBufferPointer(region), owner: storage)
    }

    /// Adds a tensor from `Float` values, stored as `dtype` (f32, f16 or bf16; rounding to nearest even).
    public func add(_ name: String, floats: [Float], shape: [Int], dtype: SafetensorsDType = .f32) {
        precondition(floats.count == shape.reduce(1, *), "value count does not match shape")
        add(name, dtype: dtype, shape: shape) { buffer in
            SafetensorsWriter.encode(floats, as: dtype, into: buffer)
        }
    }

    /// Adds every tensor of `other` (sharing its storage).
    /// - Precondition: no name is in both.
    public func merge(_ other: InMemoryTensors) {
        for (name, view) in other.views {
            precondition(views[name] == nil, "tensor \(name) added twice")
            views[name] = view
        }
    }
}
