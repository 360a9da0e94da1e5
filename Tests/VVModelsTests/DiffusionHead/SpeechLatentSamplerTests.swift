import Testing
import VVCompute
import VVComputeCPU
import VVModels

/// The whole per-frame diffusion (head + CFG 1.5 + DPM-Solver++) vs upstream `sample_speech_tokens` run on the
/// fixture head, with the reference's noise injected (fixture `diffusion_trace.safetensors`). Tolerance for the
/// loop: max-abs ≤ 1e-4 relative to the largest magnitude above 1 (errors compound over the steps; measured below
/// 1e-5).
struct SpeechLatentSamplerTests {
    @Test(arguments: [
        ("n5", 5, DPMSolverMultistep.Algorithm.dpmSolverPlusPlus), ("n10", 10, .dpmSolverPlusPlus),
        ("sde5", 5, .sdeDPMSolverPlusPlus),
    ])
    func loopMatchesReference(name: String, steps: Int, algorithm: DPMSolverMultistep.Algorithm) throws {
        for isa in isaLevels {
            let f = try DiffusionFixture(isa: isa)
            let sampler = SpeechLatentSampler(
                head: f.head, schedule: try DPMSolverSchedule(), steps: steps, algorithm: algorithm, cfgScale: 1.5)
            var stepNoise: [Tensor] = []
            if algorithm == .sdeDPMSolverPlusPlus {
                let all = try f.trace.floats("loop.\(name).step_noise")
                let per = 2 * DiffusionFixture.latent
                stepNoise = try (0..<steps).map {
                    try f.ctx.upload(Array(all[$0 * per..<($0 + 1) * per]), shape: [2, DiffusionFixture.latent])
                }
            }
            let z = try sampler.sampleSpeechTokens(
                condition: f.trace.upload("loop.condition", f.ctx),
                negativeCondition: f.trace.upload("loop.negative", f.ctx),
                noise: f.trace.upload("loop.\(name).noise", f.ctx), stepNoise: stepNoise, f.ctx)
            #expect(z.shape == [1, DiffusionFixture.latent])
            expectMatches(try f.ctx.download(z), try f.trace.floats("loop.\(name).output"), "\(isa) loop \(name)")
        }
    }

    /// Guidance matters: cfg 1.0 (no guidance) gives a different latent from 1.5 on the same noise, and the
    /// generator path is reproducible for a seed.
    @Test func guidanceAndSeededGenerator() throws {
        let f = try DiffusionFixture()
        var sampler = SpeechLatentSampler(head: f.head, schedule: try DPMSolverSchedule())
        let c = try f.trace.upload("loop.condition", f.ctx), n = try f.trace.upload("loop.negative", f.ctx)
        let noise = try f.trace.upload("loop.n5.noise", f.ctx)
        let guided = try f.ctx.download(
            sampler.sampleSpeechTokens(condition: c, negativeCondition: n, noise: noise, f.ctx))
        sampler.cfgScale = 1
        let plain = try f.ctx.download(
            sampler.sampleSpeechTokens(condition: c, negativeCondition: n, noise: noise, f.ctx))
        #expect(zip(guided, plain).map { abs($0 - $1) }.max() ?? 0 > 1e-3)
        var g1 = GaussianNoise(seed: 5), g2 = GaussianNoise(seed: 5)
        let a = try f.ctx.download(
            sampler.sampleSpeechTokens(condition: c, negativeCondition: n, generator: &g1, f.ctx))
        let b = try f.ctx.download(
            sampler.sampleSpeechTokens(condition: c, negativeCondition: n, generator: &g2, f.ctx))
        #expect(a == b)
        #expect(a.allSatisfy { $0.isFinite })
    }
}
