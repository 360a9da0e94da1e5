import VVCompute
import VVModelFiles

/// A stack of Qwen2 decoder layers with its token embedding and final norm, each optional.
///
/// Mirrors `Qwen2Model` in transformers `models/qwen2/modeling_qwen2.py` (v4.51.3), generalised for VibeVoice:
/// the realtime 0.5B builds a 4-layer base stack without final norm (`model.language_model`, norm replaced by
/// `nn.Identity`) and a 20-layer TTS stack with it (`model.tts_language_model`); 1.5B/7B/ASR use one full stack.
/// Inputs are token ids or embeddings (speech latents enter as embeddings); rows are `batch × tokens`, batch-major.
/// Immutable after load; per-request state lives in `Qwen2KVCache`.
public struct Qwen2Model: Sendable {
    /// How the stack treats `embed_tokens.weight`.
    public enum EmbeddingUse: Sendable {
        /// Bound and used for id inputs.
        case used
        /// Present in the checkpoint but never read (the realtime TTS stack): deliberately skipped.
        case ignored
        /// Not in the checkpoint.
        case absent
    }

    /// What a forward pass consumes.
    public enum Input: Sendable {
        /// Token ids, i32 `[batch·tokens]`.
        case ids(Tensor)
        /// Embeddings, f32 `[batch·tokens, hidden]`.
        case embeddings(Tensor)
    }

    /// The decoder config (its `numHiddenLayers` may exceed this stack's layer count).
    public let config: Qwen2Config
    /// `embed_tokens.weight` `[vocab, hidden]`, when used.
    public let embedTokens: Tensor?
    /// `layers.{0..<n}`.
    public let layers: [Qwen2DecoderLayer]
    /// The final `norm`, when the stack has one.
    public let norm: RMSNorm?

    /// Binds a stack of `layerCount` layers under `scope` (e.g. `model.tts_language_model`).
    public init(
        config: Qwen2Config, weights scope: WeightScope, layerCount: Int? = nil, finalNorm: Bool = true,
        embedding: EmbeddingUse = .used
    ) throws {
        self.config = config
        switch embedding {
        case .used:
            embedTokens = try scope.tensor("embed_tokens.weight", shape: [config.vocabSize, config.hiddenSize])
        case .ignored:
            scope.ignore("embed_tokens.weight")
            embedTokens = nil
        case .absent:
            embedTokens = nil
        }
        let count = layerCount ?? config.numHiddenLayers
        layers = try (0..<count).map { try Qwen2DecoderLayer(config: config, weights: scope.child("layers.\($0)")) }
        norm = finalNorm ? try RMSNorm(scope.child("norm"), dim: config.hiddenSize, eps: config.rmsNormEps) : nil
    }

    /// Loads a stack from a checkpoint that holds nothing else (tests, benchmarks): binds under `prefix`, ignores
    /// names starting with any of `ignoring`, and fails with the full binding report on any mismatch.
    public static func load(
        config: Qwen2Config, source: any TensorSource, prefix: String, layerCount: Int? = nil,
        finalNorm: Bool = true, embedding: EmbeddingUse = .used, ignoring: [String] = [], context: ComputeContext
    ) throws -> Qwen2Model {
        let binder = WeightBinder(source: source)
        for name in ignoring { binder.ignore(prefix: name) }
        let model = try Qwen2Model(
            config: config, weights: WeightScope(binder: binder, context: context, prefix: prefix),
            layerCount: layerCount, finalNorm: finalNorm, embedding: embedding)
        try binder.finish()
        return model
    }

    /// Runs the stack on `tokens` new tokens for each sequence in `slots` of `cache` (default: all of them, which
    /// advance together; a sub-range lets one branch of the CFG pair take tokens alone, e.g. text for the positive
    /// branch only), writing keys/values in place and advancing those sequences' `cache.lengths`; returns the hidden
    /// states `[slots.count·tokens, hidden]` after the final norm when there is one.
    ///
    /// `positions` (i32 `[slots.count·tokens]`), when given, must hold exactly those lengths: it replaces the upload
    /// of them, so a step recorded as a graph reads positions written on the device before each replay.
    ///
    /// Records `embeddings`, `layers.{i}.self_attn`, `layers.{i}.mlp`, `layers.{i}` and `norm` in `taps`.
    public func forward(
        _ input: Input, tokens: Int, cache: inout Qwen2KVCache, slots: Range<Int>? = nil, positions: Tensor? = nil,
        context ctx: ComputeContext, taps: Taps? = nil
    ) throws -> Tensor {
        let slots = slots ?? 0..<cache.batch
        let batch = slots.count
        let rows = batch * tokens
        guard cache.layerCount >= layers.count, cache.kvHeads == config.numKeyValueHeads,
            cache.headDim == config.headDim, tokens > 0, !slots.isEmpty, slots.lowerBound >= 0,
            slots.upperBound <= cache.batch
        else {
            throw ModelError.invalidInput(module: "Qwen2Model", reason: "cache or slots \(slots) do not fit this stack")
        }
        let needed = (cache.lengths[slots].max() ?? 0) + tokens
        guard needed <= cache.capacity else { throw ModelError.cacheFull(capacity: cache.capacity, needed: needed) }
        var h: Tensor
        switch input {
        case .ids(let ids):
            guard let embedTokens else {
                throw ModelError.invalidInput(module: "Qwen2Model", reason: "this stack has no token embedding")
            }
            guard ids.elementCount == rows else {
                throw ModelError.invalidInput(module: "Qwen2Model", reason: "\(ids.elementCount) ids for \(rows) rows")
            }
            h = try ctx.embedding(embedTokens, ids: ids.reshaped([rows]))
        case .embeddings(let embeddings):
            guard embeddings.shape.rows == rows, embeddings.shape.last == config.hiddenSize else {
                throw ModelError.invalidInput(
                    module: "Qwen2Model", reason: "embeddings \(embeddings.shape) for \(rows) rows")
            }
            h = try embeddings.reshaped([rows, config.hiddenSize])
        }
        taps?.record("embeddings", h)
        let positions = try positions ?? ctx.uploadInt32(cache.positions(slots: slots, tokens: tokens), shape: [rows])
        guard positions.shape == [rows], positions.dtype == .i32 else {
            throw ModelError.invalidInput(module: "Qwen2Model", reason: "positions \(positions.shape) for \(rows) rows")
        }
        let whole = slots == 0..<cache.batch
        for (index, layer) in layers.enumerated() {
            h = try layer.forward(
                h, positions: positions, keys: whole ? cache.keys[index] : cache.keys[index].rows(slots),
                values: whole ? cache.values[index] : cache.values[index].rows(slots), batch: batch, tokens: tokens,
                name: "layers.\(index)", taps: taps, ctx)
        }
        if let norm {
            h = try norm.forward(h, ctx)
            taps?.record("norm", h)
        }
        for slot in slots { cache.lengths[slot] += tokens }
        return h
    }

    /// The hidden state of each sequence's last new token: rows `b·tokens + tokens − 1` of `hidden`
    /// `[batch·tokens, hidden]`, as `[batch, hidden]` (a view when batch is 1 or tokens is 1).
    public static func lastTokenRows(_ hidden: Tensor, batch: Int, tokens: Int, context ctx: ComputeContext) throws
        -> Tensor
    {
        guard batch > 0, tokens > 0, hidden.shape.rank == 2, hidden.shape[0] == batch * tokens else {
            throw ModelError.invalidInput(
                module: "Qwen2Model", reason: "hidden \(hidden.shape) is not \(batch) × \(tokens) rows")
        }
        if tokens == 1 { return hidden }
        if batch == 1 { return try hidden.rows((tokens - 1)..<tokens) }
        return try ctx.concat((0..<batch).map { try hidden.rows((($0 + 1) * tokens - 1)..<(($0 + 1) * tokens)) })
    }
}
