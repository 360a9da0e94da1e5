import Testing
import VVCompute
import VVComputeCPU
import VVModelFiles
import VVModels

/// bf16 checkpoints (the real ones) are used in place, including the transposed convs' repacked halves: the
/// decoder with bf16 weights equals the decoder with f32 weights holding the same rounded values (≤ 1e-5; only
/// the accumulation order of the widened weights can differ).
struct TokenizerBF16Tests {
    @Test(arguments: isaLevels)
    func bf16WeightsMatchRoundedF32Weights(isa: CPUBackend.ISA) throws {
        let ctx = ComputeContext(backend: CPUBackend(threads: 2, isa: isa))
        let config = try TinyTokenizers.config(semantic: false)
        let bf16 = TokenizerRandomWeights.make(config: config, prefix: "", encoder: false, decoder: true, dtype: .bf16)
        let rounded = InMemoryTensors()
        for name in bf16.tensorNames {
            let view = try #require(bf16.tensor(named: name))
            rounded.add(name, floats: try view.floats(), shape: view.shape)
        }
        var outputs: [[Float]] = []
        let latents = try ctx.upload(
            TokenizerRandomWeights.values("bf16.latents", count: 3 * 64, scale: 1.7), shape: [1, 3, 64])
        for source in [bf16, rounded] {
            let binder = WeightBinder(source: source)
            let model = try TokenizerDecoder(
                config: config, weights: WeightScope(binder: binder, context: ctx).child("decoder"))
            try binder.finish()
            #expect(model.upsampleLayers[0].firstHalf.dtype == (source === bf16 ? .bf16 : .f32))
            outputs.append(try ctx.download(model.forward(latents, ctx)))
        }
        expectMatches(outputs[0], outputs[1], "\(isa) bf16 vs rounded f32 decoder", tolerance: 1e-5)
    }
}
