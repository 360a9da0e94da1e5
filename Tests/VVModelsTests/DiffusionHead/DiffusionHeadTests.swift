import Testing
import VVCompute
import VVComputeCPU
import VVModelFiles
import VVModels

/// The diffusion head vs upstream `VibeVoiceDiffusionHead` (fixture `diffusion_*.safetensors`): a batch of two
/// (distinct latents and conditions) at t ∈ {999, 799, 400, 200, 0, 12.5}; every block output at fp32 max-abs
/// ≤ 1e-4 (relative to the largest magnitude above 1), on the portable and the AVX2 kernels.
struct DiffusionHeadTests {
    @Test(arguments: isaLevels)
    func blocksMatchReferenceAtSeveralTimesteps(isa: CPUBackend.ISA) throws {
        let f = try DiffusionFixture(isa: isa)
        let x = try f.trace.upload("head.x", f.ctx), condition = try f.trace.upload("head.condition", f.ctx)
        for (index, t) in try f.trace.floats("head.timesteps").enumerated() {
            let taps = Taps()
            let out = try f.head.forward(
                x, timesteps: f.ctx.upload([t, t], shape: [2]), condition: condition, f.ctx, taps: taps)
            for name in ["noisy_images_proj", "t_embedder", "cond_proj", "layers.0", "layers.1", "final_layer"] {
                let tapped = try #require(taps.tensors[name], "tap \(name)")
                expectMatches(
                    try f.ctx.download(tapped), try f.trace.floats("head.t\(index).\(name)"), "\(isa) t=\(t) \(name)")
            }
            expectMatches(
                try f.ctx.download(out), try f.trace.floats("head.t\(index).final_layer"), "\(isa) t=\(t) out")
        }
    }

    /// The loop's fast path (condition projected once, one shared timestep broadcast) gives the same values as the
    /// one-call forward with a timestep per row (≤ 1e-6).
    @Test func projectedConditionPathEqualsFullForward() throws {
        let f = try DiffusionFixture()
        let x = try f.trace.upload("head.x", f.ctx), condition = try f.trace.upload("head.condition", f.ctx)
        let full = try f.head.forward(x, timesteps: f.ctx.upload([400, 400], shape: [2]), condition: condition, f.ctx)
        let fast = try f.head.forward(
            x, timesteps: f.ctx.upload([400], shape: [1]),
            projectedCondition: f.head.projectCondition(condition, f.ctx),
            f.ctx)
        expectMatches(try f.ctx.download(fast), try f.ctx.download(full), "fast path", tolerance: 1e-6)
    }

    /// Strict binding: a checkpoint lacking one head tensor fails `finish()` naming it, and nothing else.
    @Test func bindingIsStrict() throws {
        let file = try SafetensorsFile(path: DiffusionFixture.weightsPath)
        let partial = InMemoryTensors()
        for name in file.tensorNames where name != "model.prediction_head.layers.1.norm.weight" {
            let view = try #require(file.tensor(named: name))
            partial.add(name, floats: try view.floats(), shape: view.shape)
        }
        let ctx = ComputeContext(backend: CPUBackend(threads: 1))
        let binder = WeightBinder(source: partial)
        _ = try DiffusionHead(
            config: DiffusionFixture.headConfig(),
            weights: WeightScope(binder: binder, context: ctx).child("model.prediction_head"))
        binder.ignore(prefix: "model.acoustic_connector")
        binder.ignore(prefix: "model.semantic_connector")
        binder.ignore(prefix: "tts_eos_classifier")
        binder.ignore(name: "model.speech_scaling_factor")
        binder.ignore(name: "model.speech_bias_factor")
        #expect(throws: (any Error).self) { try binder.finish() }
        #expect(binder.report.missing.contains("model.prediction_head.layers.1.norm.weight"))
        #expect(binder.report.unexpected.isEmpty && binder.report.misshaped.isEmpty)
    }

    @Test func refusesMismatchedInputs() throws {
        let f = try DiffusionFixture()
        let x = try f.trace.upload("head.x", f.ctx)
        let wrong = try f.ctx.zeros([2, 7])
        #expect(throws: ModelError.self) {
            _ = try f.head.forward(
                wrong, timesteps: f.ctx.upload([1, 1], shape: [2]), condition: f.ctx.zeros([2, 48]), f.ctx)
        }
        #expect(throws: ModelError.self) {
            _ = try f.head.forward(
                x, timesteps: f.ctx.upload([1, 1, 1], shape: [3]), condition: f.ctx.zeros([2, 48]), f.ctx)
        }
    }
}
