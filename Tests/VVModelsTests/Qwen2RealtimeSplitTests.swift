import Foundation
import Testing
import VVCompute
import VVComputeCPU
import VVModelFiles
import VVModels

/// The realtime 0.5B layout vs upstream `VibeVoiceStreamingModel` (fixture `realtime_split*`), fp32, max-abs ≤ 1e-4:
/// base stack without final norm from ids, TTS stack with final norm from embeddings, KV seeding, batch-2 decode.
struct Qwen2RealtimeSplitTests {
    static let configJSON = """
        {"model_type":"vibevoice_streaming","tts_backbone_num_hidden_layers":3,
         "decoder_config":{"model_type":"qwen2","vocab_size":96,"hidden_size":64,"intermediate_size":100,
           "num_hidden_layers":5,"num_attention_heads":4,"num_key_value_heads":2,"rope_theta":1000000.0,
           "rms_norm_eps":1e-06,"rope_scaling":null}}
        """

    struct Stacks {
        let base: Qwen2Model
        let tts: Qwen2Model
        let types: Embedding
        let config: Qwen2Config
    }

    static func load(_ ctx: ComputeContext) throws -> Stacks {
        guard case .realtime(let config) = try ModelConfig.parse(Data(configJSON.utf8)) else {
            throw FixtureMissing(name: "realtime config")
        }
        let binder = WeightBinder(source: try SafetensorsFile(path: fixturePath("realtime_split.safetensors")))
        let root = WeightScope(binder: binder, context: ctx, prefix: "model")
        let base = try Qwen2Model(
            config: config.decoder, weights: root.child("language_model"), layerCount: config.baseLayerCount,
            finalNorm: false)
        let tts = try Qwen2Model(
            config: config.decoder, weights: root.child("tts_language_model"),
            layerCount: config.ttsBackboneNumHiddenLayers, finalNorm: true, embedding: .ignored)
        let types = try Embedding(root.child("tts_input_types"), count: 2, dim: config.decoder.hiddenSize)
        try binder.finish()
        return Stacks(base: base, tts: tts, types: types, config: config.decoder)
    }

    func compareTaps(_ taps: Taps, _ trace: Trace, _ step: String, layers: Int, norm: Bool, _ ctx: ComputeContext) throws {
        var names = (0..<layers).flatMap { ["layers.\($0).self_attn", "layers.\($0).mlp", "layers.\($0)"] }
        if norm { names.append("norm") }
        for name in names {
            let tapped = try #require(taps.tensors[name], "tap \(name)")
            expectMatches(try ctx.download(tapped), try trace.floats("\(step).\(name)"), "\(step).\(name)")
        }
    }

    @Test(arguments: isaLevels)
    func stacksMatchReference(isa: CPUBackend.ISA) throws {
        let ctx = ComputeContext(backend: CPUBackend(threads: 2, isa: isa))
        let stacks = try Self.load(ctx)
        let trace = try Trace("realtime_split_trace.safetensors")
        #expect(stacks.base.layers.count == 2 && stacks.base.norm == nil)
        #expect(stacks.tts.layers.count == 3 && stacks.tts.norm != nil && stacks.tts.embedTokens == nil)

        var baseCache = try Qwen2KVCache(config: stacks.config, layers: 2, batch: 1, capacity: 8, context: ctx)
        let ids = try trace.ints("base.prefill.input_ids")
        let baseTaps = Taps()
        let baseOut = try stacks.base.forward(
            .ids(ctx.uploadInt32(ids, shape: [ids.count])), tokens: ids.count, cache: &baseCache, context: ctx,
            taps: baseTaps)
        try compareTaps(baseTaps, trace, "base.prefill", layers: 2, norm: false, ctx)
        expectMatches(try ctx.download(baseOut), try trace.floats("base.prefill.output"), "base output (no final norm)")
        // The TTS input for text: base output + tts_input_types[1] (spec-tts.md §10.1).
        let textType = try stacks.types.forward(ctx.uploadInt32([1], shape: [1]), ctx)
        expectMatches(
            try ctx.download(ctx.add(baseOut, textType)), try trace.floats("tts.prefill.input"), "TTS text input")

        var cache = try Qwen2KVCache(config: stacks.config, layers: 3, batch: 1, capacity: 12, context: ctx)
        for step in ["tts.prefill", "tts.decode0", "tts.decode1"] {
            let input = try trace.upload("\(step).input", ctx)
            let taps = Taps()
            let out = try stacks.tts.forward(
                .embeddings(input), tokens: input.shape[0], cache: &cache, context: ctx, taps: taps)
            try compareTaps(taps, trace, step, layers: 3, norm: true, ctx)
            expectMatches(try ctx.download(out), try trace.floats("\(step).output"), "\(step).output")
            if step == "tts.prefill" {
                // The cache now holds HF's post-RoPE keys and values: compare with the reference cache.
                for layer in 0..<3 {
                    let keys = try ctx.download(cache.keys[layer])  // [1, 2, 12, 16]; first 6 positions per head
                    let values = try ctx.download(cache.values[layer])
                    func prefix(_ all: [Float]) -> [Float] {
                        var kept: [Float] = []
                        for head in 0..<2 { kept += all[(head * 192)..<(head * 192 + 96)] }
                        return kept
                    }
                    expectMatches(prefix(keys), try trace.floats("seed.keys.\(layer)"), "cache keys \(layer)")
                    expectMatches(prefix(values), try trace.floats("seed.values.\(layer)"), "cache values \(layer)")
                }
            }
        }
        #expect(cache.lengths == [8])
    }

    @Test func seededCacheDecodesLikePrefill() throws {
        let ctx = ComputeContext(backend: CPUBackend(threads: 2))
        let stacks = try Self.load(ctx)
        let trace = try Trace("realtime_split_trace.safetensors")
        let keys = try (0..<3).map { try trace.upload("seed.keys.\($0)", ctx) }
        let values = try (0..<3).map { try trace.upload("seed.values.\($0)", ctx) }
        var cache = try Qwen2KVCache(config: stacks.config, layers: 3, batch: 1, capacity: 12, context: ctx)
        try cache.seed(slot: 0, keys: keys, values: values, context: ctx)
        #expect(cache.lengths == [6])
        for step in ["tts.decode0", "tts.decode1"] {
            let out = try stacks.tts.forward(
                .embeddings(trace.upload("\(step).input", ctx)), tokens: 1, cache: &cache, context: ctx)
            expectMatches(try ctx.download(out), try trace.floats("\(step).output"), "seeded \(step)")
        }
    }

    /// Batch 2 (the CFG pair) with different cache lengths per sequence equals two batch-1 runs.
    @Test func batchOfTwoEqualsSeparateRuns() throws {
        let ctx = ComputeContext(backend: CPUBackend(threads: 2))
        let stacks = try Self.load(ctx)
        let trace = try Trace("realtime_split_trace.safetensors")
        func seeds(length: Int) throws -> ([Tensor], [Tensor]) {
            func cut(_ name: String) throws -> Tensor {
                let all = try trace.floats(name)  // [2, 6, 16]
                var kept: [Float] = []
                for head in 0..<2 { kept += all[(head * 96)..<(head * 96 + length * 16)] }
                return try ctx.upload(kept, shape: [2, length, 16])
            }
            return (try (0..<3).map { try cut("seed.keys.\($0)") }, try (0..<3).map { try cut("seed.values.\($0)") })
        }
        let (longK, longV) = try seeds(length: 6)
        let (shortK, shortV) = try seeds(length: 3)
        let inputA = try trace.floats("tts.decode0.input"), inputB = try trace.floats("tts.decode1.input")

        var pair = try Qwen2KVCache(config: stacks.config, layers: 3, batch: 2, capacity: 10, context: ctx)
        try pair.seed(slot: 0, keys: longK, values: longV, context: ctx)
        try pair.seed(slot: 1, keys: shortK, values: shortV, context: ctx)
        var singleA = try Qwen2KVCache(config: stacks.config, layers: 3, batch: 1, capacity: 10, context: ctx)
        try singleA.seed(slot: 0, keys: longK, values: longV, context: ctx)
        var singleB = try Qwen2KVCache(config: stacks.config, layers: 3, batch: 1, capacity: 10, context: ctx)
        try singleB.seed(slot: 0, keys: shortK, values: shortV, context: ctx)
        for _ in 0..<2 {
            let both = try ctx.download(
                stacks.tts.forward(.embeddings(ctx.upload(inputA + inputB, shape: [2, 64])), tokens: 1, cache: &pair, context: ctx))
            let a = try ctx.download(
                stacks.tts.forward(.embeddings(ctx.upload(inputA, shape: [1, 64])), tokens: 1, cache: &singleA, context: ctx))
            let b = try ctx.download(
                stacks.tts.forward(.embeddings(ctx.upload(inputB, shape: [1, 64])), tokens: 1, cache: &singleB, context: ctx))
            expectMatches(Array(both[0..<64]), a, "batch slot 0", tolerance: 1e-6)
            expectMatches(Array(both[64..<128]), b, "batch slot 1", tolerance: 1e-6)
        }
        #expect(pair.lengths == [8, 5])
        // The first step of slot 0 is the reference's decode0 (same seed, same input).
    }

    /// The CFG pattern of the realtime model: text enters the positive sequence alone (slot 0 of a batch-2 cache),
    /// then both sequences take a speech frame together; equal to separate batch-1 caches.
    @Test func oneSlotAloneThenBothTogether() throws {
        let ctx = ComputeContext(backend: CPUBackend(threads: 2))
        let stacks = try Self.load(ctx)
        let trace = try Trace("realtime_split_trace.safetensors")
        let text = try trace.upload("tts.prefill.input", ctx)  // 6 positions
        let frameA = try trace.floats("tts.decode0.input"), frameB = try trace.floats("tts.decode1.input")
        var pair = try Qwen2KVCache(config: stacks.config, layers: 3, batch: 2, capacity: 10, context: ctx)
        var positive = try Qwen2KVCache(config: stacks.config, layers: 3, batch: 1, capacity: 10, context: ctx)
        var negative = try Qwen2KVCache(config: stacks.config, layers: 3, batch: 1, capacity: 10, context: ctx)
        let alone = try stacks.tts.forward(.embeddings(text), tokens: 6, cache: &pair, slots: 0..<1, context: ctx)
        let single = try stacks.tts.forward(.embeddings(text), tokens: 6, cache: &positive, context: ctx)
        expectMatches(try ctx.download(alone), try ctx.download(single), "slot 0 alone", tolerance: 1e-6)
        #expect(pair.lengths == [6, 0])
        let both = try ctx.download(
            stacks.tts.forward(.embeddings(ctx.upload(frameA + frameB, shape: [2, 64])), tokens: 1, cache: &pair, context: ctx))
        let a = try ctx.download(
            stacks.tts.forward(.embeddings(ctx.upload(frameA, shape: [1, 64])), tokens: 1, cache: &positive, context: ctx))
        let b = try ctx.download(
            stacks.tts.forward(.embeddings(ctx.upload(frameB, shape: [1, 64])), tokens: 1, cache: &negative, context: ctx))
        expectMatches(Array(both[0..<64]), a, "pair slot 0", tolerance: 1e-6)
        expectMatches(Array(both[64..<128]), b, "pair slot 1", tolerance: 1e-6)
        // Slot 0 after the 6 text positions is exactly the reference's first decode step.
        expectMatches(a, try trace.floats("tts.decode0.output"), "reference decode0")
        #expect(pair.lengths == [7, 1])
        #expect(throws: ModelError.self) {
            try stacks.tts.forward(.embeddings(text), tokens: 6, cache: &pair, slots: 1..<3, context: ctx)
        }
    }

    /// The TTS stack with a bf16 KV cache against the fp32 reference: max-abs ≤ 2e-2 (DESIGN.md's bf16 tolerance);
    /// the cache stores bf16, the arithmetic stays f32.
    @Test func bf16CacheStaysWithinBF16Tolerance() throws {
        let ctx = ComputeContext(backend: CPUBackend(threads: 2))
        let stacks = try Self.load(ctx)
        let trace = try Trace("realtime_split_trace.safetensors")
        var cache = try Qwen2KVCache(
            config: stacks.config, layers: 3, batch: 1, capacity: 12, dtype: .bf16, context: ctx)
        #expect(cache.keys[0].dtype == .bf16)
        for step in ["tts.prefill", "tts.decode0", "tts.decode1"] {
            let input = try trace.upload("\(step).input", ctx)
            let out = try stacks.tts.forward(.embeddings(input), tokens: input.shape[0], cache: &cache, context: ctx)
            expectMatches(try ctx.download(out), try trace.floats("\(step).output"), "bf16 cache \(step)", tolerance: 2e-2)
        }
    }
}
