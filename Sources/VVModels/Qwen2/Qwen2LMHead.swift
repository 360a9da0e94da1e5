import VVCompute
import VVModelFiles

/// The language-model head: logits = `h · Wᵀ` over the vocabulary, with greedy (argmax) selection, optionally
/// restricted to a set of allowed ids (the 1.5B/7B choose among 4 tokens).
///
/// Mirrors `lm_head` of `Qwen2ForCausalLM` (transformers v4.51.3): `lm_head.weight` `[vocab, hidden]`, no bias, or
/// the token embedding when tied. Restricted selection computes only the allowed rows' logits, which gives the same
/// argmax as masking the full logits (ties go to the lowest id in both).
public struct Qwen2LMHead: Sendable {
    /// `[vocab, hidden]`.
    public let weight: Tensor

    /// Binds `name` (default `lm_head.weight`) in `scope`.
    public init(config: Qwen2Config, weights scope: WeightScope, name: String = "lm_head.weight") throws {
        weight = try scope.tensor(name, shape: [config.vocabSize, config.hiddenSize])
    }

    /// Ties the head to a token embedding table.
    public init(tiedTo embedding: Tensor) {
        weight = embedding
    }

    /// Logits `[rows, vocab]` for hidden states `[rows, hidden]`.
    public func logits(_ hidden: Tensor, _ ctx: ComputeContext) throws -> Tensor {
        try ctx.linear(hidden, weight: weight, bias: nil)
    }

    /// The greedy token per row (a synchronisation point: ids come back to the host). With `allowed`, only those
    /// ids compete.
    public func greedy(_ hidden: Tensor, allowed: [Int32]? = nil, _ ctx: ComputeContext) throws -> [Int32] {
        guard let allowed else {
            return try ctx.downloadInt32(ctx.argmax(logits(hidden, ctx), allowed: nil))
        }
        let ids = Array(Set(allowed)).sorted()
        guard !ids.isEmpty, ids.allSatisfy({ $0 >= 0 && Int($0) < weight.shape[0] }) else {
            throw ModelError.invalidInput(module: "Qwen2LMHead", reason: "allowed ids \(allowed) outside the vocabulary")
        }
        let rows = try ctx.embedding(weight, ids: ctx.uploadInt32(ids, shape: [ids.count]))
        let restricted = try ctx.linear(hidden, weight: rows, bias: nil)
        return try ctx.downloadInt32(ctx.argmax(restricted, allowed: nil)).map { ids[Int($0)] }
    }
}
