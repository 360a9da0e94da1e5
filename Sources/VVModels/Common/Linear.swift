import VVCompute

/// `y = x · Wᵀ + b` (PyTorch `nn.Linear`): weight `[out, in]` kept in its checkpoint dtype, optional f32 bias.
public struct Linear: Sendable {
    /// `weight`, `[out, in]`.
    public let weight: Tensor
    /// `bias`, `[out]` f32, when the layer has one.
    public let bias: Tensor?

    /// Binds `weight` (and `bias` when `bias` is true) in `scope`.
    public init(_ scope: WeightScope, in inFeatures: Int, out outFeatures: Int, bias: Bool) throws {
        weight = try scope.tensor("weight", shape: [outFeatures, inFeatures])
        self.bias = bias ? try scope.tensor("bias", shape: [outFeatures], dtype: .f32) : nil
    }

    /// Wraps existing tensors (tied weights).
    public init(weight: Tensor, bias: Tensor? = nil) {
        self.weight = weight
        self.bias = bias
    }

    /// Applies the layer to `x` `[rows, in]`; returns `[rows, out]`.
    public func forward(_ x: Tensor, _ ctx: ComputeContext) throws -> Tensor {
        try ctx.linear(x, weight: weight, bias: bias)
    }
}
