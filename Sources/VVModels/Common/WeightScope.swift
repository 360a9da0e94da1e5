import VVCompute
import VVModelFiles

/// A name prefix inside a checkpoint plus the backend weights are uploaded to: how modules declare their weights.
///
/// `child("self_attn")` descends one level; `tensor("q_proj.weight", shape:)` binds one tensor (exact shape; the
/// stored dtype is kept unless one is asked for). A missing or mis-shaped tensor is recorded by the `WeightBinder`
/// and an empty placeholder is returned, so loading goes on and the binder's `finish()` reports every problem at
/// once; a model whose binder did not finish cleanly must be discarded (the `load` functions do this).
public struct WeightScope {
    /// The binder accounting for every checkpoint tensor.
    public let binder: WeightBinder
    /// The backend the weights go to.
    public let context: ComputeContext
    /// The dotted prefix of this scope (empty at the root).
    public let prefix: String

    /// A root scope.
    public init(binder: WeightBinder, context: ComputeContext, prefix: String = "") {
        self.binder = binder
        self.context = context
        self.prefix = prefix
    }

    /// The scope one level down (`name` may itself contain dots).
    public func child(_ name: String) -> WeightScope {
        WeightScope(binder: binder, context: context, prefix: qualified(name))
    }

    /// The full checkpoint name of `name` in this scope.
    public func qualified(_ name: String) -> String { prefix.isEmpty ? name : prefix + "." + name }

    /// Marks the checkpoint tensor `name` (in this scope) as deliberately unused.
    public func ignore(_ name: String) { binder.ignore(name: qualified(name)) }

    /// Binds `name` with exactly `shape`; `dtype` converts (e.g. bf16 norm weights to f32), nil keeps the stored one.
    /// - Throws: backend errors while uploading; binding problems are recorded, not thrown.
    public func tensor(_ name: String, shape: [Int], dtype: DType? = nil) throws -> Tensor {
        guard let view = binder.take(qualified(name), shape: shape) else {
            return try context.zeros([0], dtype: dtype ?? .f32)
        }
        return try upload(view, dtype: dtype)
    }

    /// Binds `name` if the checkpoint has it (nil otherwise).
    public func tensorIfPresent(_ name: String, shape: [Int], dtype: DType? = nil) throws -> Tensor? {
        guard let view = binder.takeIfPresent(qualified(name), shape: shape) else { return nil }
        return try upload(view, dtype: dtype)
    }

    private func upload(_ view: TensorView, dtype wanted: DType?) throws -> Tensor {
        let stored: DType
        switch view.dtype {
        case .bf16: stored = .bf16
        case .f16: stored = .f16
        default: stored = .f32
        }
        let tensor = try context.backend.upload(
            bytes: view.bytes, dtype: stored, shape: Shape(view.shape), owner: view.owner)
        guard let wanted, wanted != stored else { return tensor }
        let converted = try context.zeros(Shape(view.shape), dtype: wanted)
        try context.copy(tensor, into: converted)
        return converted
    }
}
