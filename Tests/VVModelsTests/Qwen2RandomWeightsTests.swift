import Testing
import VVCompute
import VVComputeCPU
import VVModelFiles
import VVModels

struct Qwen2RandomWeightsTests {
    /// The random checkpoint uses exactly the names and shapes the loader binds (strict binding passes), and runs.
    @Test(arguments: [SafetensorsDType.bf16, .f16, .f32])
    func bindsStrictlyAndRuns(dtype: SafetensorsDType) throws {
        let config = Qwen2Config(
            vocabSize: 50, hiddenSize: 32, intermediateSize: 48, numHiddenLayers: 2, numAttentionHeads: 4,
            numKeyValueHeads: 2)
        let source = Qwen2RandomWeights.make(
            config: config, prefix: "model", layers: 2, embedding: true, finalNorm: true, lmHead: true, dtype: dtype)
        #expect(source.tensor(named: "model.layers.1.mlp.down_proj.weight")?.dtype == dtype)
        #expect(source.tensor(named: "model.norm.weight")?.dtype == .f32)
        let ctx = ComputeContext(backend: CPUBackend(threads: 1))
        let binder = WeightBinder(source: source)
        let root = WeightScope(binder: binder, context: ctx)
        let model = try Qwen2Model(config: config, weights: root.child("model"))
        let head = try Qwen2LMHead(config: config, weights: root)
        try binder.finish()
        var cache = try Qwen2KVCache(config: config, layers: 2, batch: 1, capacity: 8, context: ctx)
        let hidden = try model.forward(
            .ids(ctx.uploadInt32([1, 2, 3], shape: [3])), tokens: 3, cache: &cache, context: ctx)
        let ids = try head.greedy(hidden, ctx)
        #expect(ids.count == 3 && ids.allSatisfy { $0 >= 0 && $0 < 50 })
        #expect(try ctx.download(hidden).allSatisfy { $0.isFinite })
    }

    @Test func lastTokenRowsPicksEachSequencesLastToken() throws {
        let ctx = ComputeContext(backend: CPUBackend(threads: 1))
        let hidden = try ctx.upload([0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5], shape: [6, 2])  // batch 2 × 3 tokens
        #expect(try ctx.download(Qwen2Model.lastTokenRows(hidden, batch: 2, tokens: 3, context: ctx)) == [2, 2, 5, 5])
        #expect(try ctx.download(Qwen2Model.lastTokenRows(hidden, batch: 1, tokens: 6, context: ctx)) == [5, 5])
        #expect(try Qwen2Model.lastTokenRows(hidden, batch: 6, tokens: 1, context: ctx).shape == [6, 2])
        #expect(throws: ModelError.self) { try Qwen2Model.lastTokenRows(hidden, batch: 4, tokens: 2, context: ctx) }
    }
}
