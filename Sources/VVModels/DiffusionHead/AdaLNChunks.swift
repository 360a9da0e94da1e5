import VVCompute

/// `Linear(...)(c).chunk(n, dim=-1)` without a copy: the weight's row blocks are views, projected in one launch.
enum AdaLNChunks {
    /// The `chunks` equal pieces of `linear(c)` along the last dimension, in order (shift, scale[, gate]).
    static func project(_ c: Tensor, _ linear: Linear, chunks: Int, _ ctx: ComputeContext) throws -> [Tensor] {
        let rows = linear.weight.shape[0] / chunks
        let blocks = try (0..<chunks).map { try linear.weight.rows($0 * rows..<($0 + 1) * rows) }
        return try ctx.linears(c, weights: blocks, biases: Array(repeating: nil, count: chunks))
    }
}
