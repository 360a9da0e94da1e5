import VVCompute

/// A lookup table (PyTorch `nn.Embedding`): `weight` `[count, dim]` kept in its checkpoint dtype, rows gathered as f32.
/// Used for token embeddings and small tables such as the realtime model's `tts_input_types` (text = 1, speech = 0).
public struct Embedding: Sendable {
    /// `weight`, `[count, dim]`.
    public let weight: Tensor

    /// Binds `weight` in `scope` with exactly `[count, dim]`.
    public init(_ scope: WeightScope, count: Int, dim: Int) throws {
        weight = try scope.tensor("weight", shape: [count, dim])
    }

    /// The rows for i32 `ids` (any shape); returns `ids.shape + [dim]` f32.
    public func forward(_ ids: Tensor, _ ctx: ComputeContext) throws -> Tensor {
        try ctx.embedding(weight, ids: ids)
    }
}
