import VVCompute

/// Maps speech latents into the LM's embedding space: `fc2(norm(fc1(x)))` (Linear with bias → RMSNorm → Linear
/// with bias).
///
/// Mirrors `SpeechConnector` in microsoft/VibeVoice `vibevoice/modular/modeling_vibevoice_streaming.py` and
/// `modeling_vibevoice.py` (same class): `model.acoustic_connector` (64 → H; realtime, 1.5B, 7B, ASR) and
/// `model.semantic_connector` (128 → H; 1.5B, 7B, ASR). The norm is transformers' `LlamaRMSNorm` built with
/// `eps=1e-6` in the constructor: no config key sets it, so `defaultEps` is the value to pass.
public struct SpeechConnector: Sendable {
    /// `fc1`, `[H, in]` + bias.
    public let fc1: Linear
    /// `norm`, `[H]`.
    public let norm: RMSNorm
    /// `fc2`, `[H, H]` + bias.
    public let fc2: Linear

    /// The RMSNorm epsilon upstream hard-codes in `SpeechConnector.__init__`.
    public static let defaultEps: Float = 1e-6

    /// Binds `fc1`, `norm` and `fc2` under `scope` (e.g. `model.acoustic_connector`).
    public init(_ scope: WeightScope, inputSize: Int, hiddenSize: Int, eps: Float = defaultEps) throws {
        fc1 = try Linear(scope.child("fc1"), in: inputSize, out: hiddenSize, bias: true)
        norm = try RMSNorm(scope.child("norm"), dim: hiddenSize, eps: eps)
        fc2 = try Linear(scope.child("fc2"), in: hiddenSize, out: hiddenSize, bias: true)
    }

    /// Applies the connector to `x` `[rows, in]`; returns `[rows, H]`.
    public func forward(_ x: Tensor, _ ctx: ComputeContext) throws -> Tensor {
        try fc2.forward(norm.forward(fc1.forward(x, ctx), ctx), ctx)
    }
}
