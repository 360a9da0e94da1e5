import VVCompute
import VVModelFiles

/// The tokenizer block's feed-forward network: `linear2(gelu(linear1(x)))` with exact (erf) GELU, per time step.
///
/// Mirrors `FFN` in microsoft/VibeVoice `vibevoice/modular/modular_vibevoice_tokenizer.py` (`ACT2FN["gelu"]`, both
/// linears with bias when `conv_bias`). Layout `[batch, time, dim]`.
public struct TokenizerFFN: Sendable {
    /// `linear1` `[4·dim, dim]`.
    public let linear1: Linear
    /// `linear2` `[dim, 4·dim]`.
    public let linear2: Linear

    /// Binds `linear1` and `linear2` under `scope` (`...ffn`).
    public init(_ scope: WeightScope, dim: Int, hidden: Int, bias: Bool) throws {
        linear1 = try Linear(scope.child("linear1"), in: dim, out: hidden, bias: bias)
        linear2 = try Linear(scope.child("linear2"), in: hidden, out: dim, bias: bias)
    }

    /// Applies the FFN to `x` `[batch, time, dim]`.
    public func forward(_ x: Tensor, _ ctx: ComputeContext) throws -> Tensor {
        try linear2.forward(ctx.unary(.gelu, linear1.forward(x, ctx)), ctx)
    }
}
