import VVCompute

/// The realtime model's end-of-speech classifier: `fc2(relu(fc1(h)))`, one logit per row; speech ends when
/// `sigmoid(logit) > 0.5`.
///
/// Mirrors `BinaryClassifier` in microsoft/VibeVoice `vibevoice/modular/modeling_vibevoice_streaming.py`, held as
/// `tts_eos_classifier` by `VibeVoiceStreamingForConditionalGenerationInference` (a top-level checkpoint key, no
/// `model.` prefix). It reads the post-norm TTS-LM hidden state after each speech frame (spec-tts.md §1.5).
public struct EOSClassifier: Sendable {
    /// `fc1`, `[H, H]` + bias.
    public let fc1: Linear
    /// `fc2`, `[1, H]` + bias.
    public let fc2: Linear

    /// The probability above which speech ends (`> 0.5` upstream).
    public static let threshold: Float = 0.5

    /// Binds `fc1` and `fc2` under `scope` (`tts_eos_classifier`).
    public init(_ scope: WeightScope, hiddenSize: Int) throws {
        fc1 = try Linear(scope.child("fc1"), in: hiddenSize, out: hiddenSize, bias: true)
        fc2 = try Linear(scope.child("fc2"), in: hiddenSize, out: 1, bias: true)
    }

    /// The logits `[rows, 1]` for hidden states `[rows, H]`.
    public func forward(_ hidden: Tensor, _ ctx: ComputeContext) throws -> Tensor {
        try fc2.forward(ctx.unary(.relu, fc1.forward(hidden, ctx)), ctx)
    }

    /// `sigmoid(logit)` per row (a synchronisation point: the values come back to the host).
    public func probabilities(_ hidden: Tensor, _ ctx: ComputeContext) throws -> [Float] {
        try ctx.download(ctx.unary(.sigmoid, forward(hidden, ctx)))
    }

    /// Whether each row ends speech (`sigmoid(logit) > 0.5`).
    public func isEnd(_ hidden: Tensor, _ ctx: ComputeContext) throws -> [Bool] {
        try probabilities(hidden, ctx).map { $0 > Self.threshold }
    }
}
