import VVCompute

/// RMSNorm over the last dimension with a learned scale (transformers `Qwen2RMSNorm`, fp32).
public struct RMSNorm: Sendable {
    /// `weight`, `[dim]` f32.
    public let weight: Tensor
    /// The epsilon inside the square root.
    public let eps: Float

    /// Binds `weight` in `scope`.
    public init(_ scope: WeightScope, dim: Int, eps: Float) throws {
        weight = try scope.tensor("weight", shape: [dim], dtype: .f32)
        self.eps = eps
    }

    /// Normalises each row of `x`.
    public func forward(_ x: Tensor, _ ctx: ComputeContext) throws -> Tensor {
        try ctx.rmsNorm(x, weight: weight, eps: eps)
    }
}
