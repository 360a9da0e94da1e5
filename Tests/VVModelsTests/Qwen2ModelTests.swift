import Foundation
import Testing
import VVCompute
import VVComputeCPU
import VVModelFiles
import VVModels

/// Qwen2 decoder vs transformers 4.51.3 `Qwen2ForCausalLM` (fixture `qwen2_causal_lm*`), fp32:
/// every tap and the logits at max-abs ≤ 1e-4 (relative to the largest magnitude above 1).
struct Qwen2ModelTests {
    static let config = Qwen2Config(
        vocabSize: 96, hiddenSize: 64, intermediateSize: 100, numHiddenLayers: 3, numAttentionHeads: 4,
        numKeyValueHeads: 2, rmsNormEps: 1e-6, ropeTheta: 1_000_000)

    @Test(arguments: isaLevels)
    func prefillAndDecodeMatchReference(isa: CPUBackend.ISA) throws {
        let ctx = ComputeContext(backend: CPUBackend(threads: 2, isa: isa))
        let weights = try SafetensorsFile(path: fixturePath("qwen2_causal_lm.safetensors"))
        let trace = try Trace("qwen2_causal_lm_trace.safetensors")
        let binder = WeightBinder(source: weights)
        let root = WeightScope(binder: binder, context: ctx)
        let model = try Qwen2Model(config: Self.config, weights: root.child("model"))
        let head = try Qwen2LMHead(config: Self.config, weights: root)
        try binder.finish()
        #expect(model.layers.count == 3 && model.norm != nil)

        let allowed = try trace.ints("allowed")
        var cache = try Qwen2KVCache(config: Self.config, layers: 3, batch: 1, capacity: 16, context: ctx)
        for step in ["prefill", "decode0", "decode1", "decode2"] {
            let ids = try trace.ints("\(step).input_ids")
            let taps = Taps()
            let hidden = try model.forward(
                .ids(ctx.uploadInt32(ids, shape: [ids.count])), tokens: ids.count, cache: &cache, context: ctx,
                taps: taps)
            for name in ["embeddings", "norm"] + (0..<3).flatMap({ ["layers.\($0).self_attn", "layers.\($0).mlp", "layers.\($0)"] }) {
                let tapped = try #require(taps.tensors[name], "tap \(name)")
                expectMatches(try ctx.download(tapped), try trace.floats("\(step).\(name)"), "\(isa) \(step).\(name)")
            }
            expectMatches(try ctx.download(head.logits(hidden, ctx)), try trace.floats("\(step).logits"), "\(step).logits")
            #expect(try head.greedy(hidden, ctx) == trace.ints("\(step).argmax"), "\(step) argmax")
            #expect(try head.greedy(hidden, allowed: allowed, ctx) == trace.ints("\(step).allowed_argmax"), "\(step) allowed")
        }
        #expect(cache.lengths == [10])
    }

    /// The same model with bf16 weights (BF16 checkpoint, fp32 compute on both sides; fixture
    /// `qwen2_causal_lm_bf16*`): layer 2, final norm and logits at max-abs ≤ 1e-4, on both kernel levels.
    @Test(arguments: isaLevels)
    func bf16CheckpointMatchesReference(isa: CPUBackend.ISA) throws {
        let ctx = ComputeContext(backend: CPUBackend(threads: 2, isa: isa))
        let weights = try SafetensorsFile(path: fixturePath("qwen2_causal_lm_bf16.safetensors"))
        #expect(weights.tensor(named: "model.layers.0.self_attn.q_proj.bias")?.dtype == .bf16)
        let trace = try Trace("qwen2_causal_lm_bf16_trace.safetensors")
        let binder = WeightBinder(source: weights)
        let root = WeightScope(binder: binder, context: ctx)
        let model = try Qwen2Model(config: Self.config, weights: root.child("model"))
        let head = try Qwen2LMHead(config: Self.config, weights: root)
        try binder.finish()
        #expect(model.layers[0].mlp.upProj.weight.dtype == .bf16)  // used in place, not widened at load
        var cache = try Qwen2KVCache(config: Self.config, layers: 3, batch: 1, capacity: 16, context: ctx)
        for step in ["prefill", "decode0"] {
            let ids = try trace.ints("\(step).input_ids")
            let taps = Taps()
            let hidden = try model.forward(
                .ids(ctx.uploadInt32(ids, shape: [ids.count])), tokens: ids.count, cache: &cache, context: ctx,
                taps: taps)
            for name in ["layers.2", "norm"] {
                let tapped = try #require(taps.tensors[name])
                expectMatches(try ctx.download(tapped), try trace.floats("\(step).\(name)"), "bf16 \(isa) \(step).\(name)")
            }
            expectMatches(try ctx.download(head.logits(hidden, ctx)), try trace.floats("\(step).logits"), "bf16 \(step).logits")
        }
    }

    @Test func strictBindingNamesEveryProblem() throws {
        let ctx = ComputeContext(backend: CPUBackend(threads: 1))
        let weights = try SafetensorsFile(path: fixturePath("qwen2_causal_lm.safetensors"))
        // Asking for 4 layers and no final norm: layer 3 is missing, norm and lm_head are unexpected.
        do {
            _ = try Qwen2Model.load(
                config: Self.config, source: weights, prefix: "model", layerCount: 4, finalNorm: false, context: ctx)
            Issue.record("loaded a mismatched checkpoint")
        } catch CheckpointError.binding(let report) {
            #expect(report.missing.count == 12 && report.missing.contains("model.layers.3.self_attn.q_proj.weight"))
            #expect(report.unexpected == ["lm_head.weight", "model.norm.weight"])
        }
        // A config with the wrong intermediate size: every MLP weight is reported mis-shaped.
        var wrong = Self.config
        wrong.intermediateSize = 128
        do {
            _ = try Qwen2Model.load(config: wrong, source: weights, prefix: "model", ignoring: ["lm_head."], context: ctx)
            Issue.record("loaded a mis-shaped checkpoint")
        } catch CheckpointError.binding(let report) {
            #expect(report.misshaped.count == 9 && report.missing.isEmpty && report.unexpected.isEmpty)
            #expect(report.misshaped.contains(.init(name: "model.layers.0.mlp.up_proj.weight", expected: [128, 64], actual: [100, 64])))
        }
    }

    @Test func cacheCapacityIsEnforced() throws {
        let ctx = ComputeContext(backend: CPUBackend(threads: 1))
        let weights = try SafetensorsFile(path: fixturePath("qwen2_causal_lm.safetensors"))
        let model = try Qwen2Model.load(
            config: Self.config, source: weights, prefix: "model", ignoring: ["lm_head."], context: ctx)
        var cache = try Qwen2KVCache(config: Self.config, layers: 3, batch: 1, capacity: 4, context: ctx)
        let ids = try ctx.uploadInt32([1, 2, 3, 4, 5], shape: [5])
        #expect(throws: ModelError.self) { try model.forward(.ids(ids), tokens: 5, cache: &cache, context: ctx) }
        #expect(cache.lengths == [0])
    }
}
