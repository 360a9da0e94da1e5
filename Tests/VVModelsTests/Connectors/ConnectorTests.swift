import Testing
import VVCompute
import VVComputeCPU
import VVModelFiles
import VVModels

/// Connectors, EOS classifier and latent scaling vs upstream `SpeechConnector` (realtime and 1.5B files) and
/// `BinaryClassifier` (fixture `diffusion_*.safetensors`): fp32 max-abs ≤ 1e-4 (relative above magnitude 1).
struct ConnectorTests {
    @Test(arguments: isaLevels)
    func connectorsMatchReference(isa: CPUBackend.ISA) throws {
        let f = try DiffusionFixture(isa: isa)
        let acoustic = try f.acoustic.forward(f.trace.upload("acoustic_connector.input", f.ctx), f.ctx)
        expectMatches(try f.ctx.download(acoustic), try f.trace.floats("acoustic_connector.output"), "\(isa) acoustic")
        let semantic = try f.semantic.forward(f.trace.upload("semantic_connector.input", f.ctx), f.ctx)
        expectMatches(try f.ctx.download(semantic), try f.trace.floats("semantic_connector.output"), "\(isa) semantic")
        #expect(f.acoustic.norm.eps == 1e-6)
    }

    /// EOS logits and sigmoid probabilities (≤ 1e-5 absolute) and the > 0.5 decision.
    @Test(arguments: isaLevels)
    func eosClassifierMatchesReference(isa: CPUBackend.ISA) throws {
        let f = try DiffusionFixture(isa: isa)
        let hidden = try f.trace.upload("eos.input", f.ctx)
        expectMatches(
            try f.ctx.download(f.eos.forward(hidden, f.ctx)), try f.trace.floats("eos.logits"), "\(isa) eos logits")
        let expected = try f.trace.floats("eos.probability")
        expectMatches(try f.eos.probabilities(hidden, f.ctx), expected, "\(isa) eos probability", tolerance: 1e-5)
        #expect(try f.eos.isEnd(hidden, f.ctx) == expected.map { $0 > 0.5 })
    }

    /// The 0-d buffers are read from the checkpoint, and the decoder input is `z / scale − bias` (divide first).
    @Test func scalingFactorsAndDirection() throws {
        let f = try DiffusionFixture()
        #expect(f.scaling == SpeechLatentScaling(scalingFactor: 0.2333984375, biasFactor: -0.0703125))
        let z: [Float] = [0.5, -1.25, 2]
        let vae = try f.ctx.download(f.scaling.decoderInput(f.ctx.upload(z, shape: [1, 3]), f.ctx))
        let expected = z.map { Float(Double($0) / 0.2333984375 + 0.0703125) }
        expectMatches(vae, expected, "decoder input", tolerance: 1e-6)
        let back = try f.ctx.download(f.scaling.modelLatents(f.ctx.upload(vae, shape: [1, 3]), f.ctx))
        expectMatches(back, z, "round trip", tolerance: 1e-6)
    }

    /// Real checkpoints store the buffers as 0-d bf16 (`torch_dtype` bfloat16): read and widened exactly.
    @Test func bf16BuffersAreRead() throws {
        let ctx = ComputeContext(backend: CPUBackend(threads: 1))
        let tensors = InMemoryTensors()
        tensors.add("model.speech_scaling_factor", floats: [0.1962890625], shape: [], dtype: .bf16)
        tensors.add("model.speech_bias_factor", floats: [-0.04931640625], shape: [], dtype: .bf16)
        let binder = WeightBinder(source: tensors)
        let scaling = try SpeechLatentScaling(WeightScope(binder: binder, context: ctx).child("model"))
        try binder.finish()
        #expect(scaling == SpeechLatentScaling(scalingFactor: 0.1962890625, biasFactor: -0.04931640625))
    }

    /// A checkpoint without the buffers (or with NaN, upstream's unloaded value) is refused.
    @Test func missingOrNaNFactorsAreRefused() throws {
        let ctx = ComputeContext(backend: CPUBackend(threads: 1))
        let empty = InMemoryTensors()
        #expect(throws: ModelError.self) {
            _ = try SpeechLatentScaling(WeightScope(binder: WeightBinder(source: empty), context: ctx).child("model"))
        }
        let nan = InMemoryTensors()
        nan.add("model.speech_scaling_factor", floats: [.nan], shape: [])
        nan.add("model.speech_bias_factor", floats: [0], shape: [])
        #expect(throws: ModelError.self) {
            _ = try SpeechLatentScaling(WeightScope(binder: WeightBinder(source: nan), context: ctx).child("model"))
        }
    }
}
