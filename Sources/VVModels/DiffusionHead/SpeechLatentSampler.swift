import VVCompute

/// One speech latent per call: the diffusion head under classifier-free guidance, integrated by DPM-Solver++.
///
/// Mirrors `sample_speech_tokens` of `VibeVoiceStreamingForConditionalGenerationInference` (microsoft/VibeVoice
/// `vibevoice/modular/modeling_vibevoice_streaming_inference.py`; the 1.5B/7B `VibeVoiceForConditionalGeneration
/// Inference` has the same loop), spec-tts.md §1.6:
/// ```
/// x = noise[0]                                        // upstream draws randn(2, latent) and only row 0 matters
/// for t in timesteps:
///     v   = head([x, x], [t, t], [c_pos, c_neg])      // one batch of two
///     v_g = v_neg + cfg · (v_pos − v_neg)             // fp32, on v
///     x   = solver.step(v_g, x)
/// ```
/// `cond_proj` of the two conditions is computed once per call (it does not depend on t) and the timestep
/// embedding once per step; the numbers are those of the reference loop.
public struct SpeechLatentSampler: Sendable {
    /// The prediction head.
    public let head: DiffusionHead
    /// The training schedule (built once).
    public let schedule: DPMSolverSchedule
    /// Inference steps per latent (5 in the realtime demos, 10–20 for the 1.5B).
    public var steps: Int
    /// The solver family (`dpmsolver++` by default; the web demo uses `sde-dpmsolver++`).
    public var algorithm: DPMSolverMultistep.Algorithm
    /// The guidance scale (`cfg_scale`: 1.5 in the demos; 1.0 disables guidance but the negative row still runs).
    public var cfgScale: Float

    /// Creates a sampler.
    public init(
        head: DiffusionHead, schedule: DPMSolverSchedule, steps: Int = 5,
        algorithm: DPMSolverMultistep.Algorithm = .dpmSolverPlusPlus, cfgScale: Float = 1.5
    ) {
        self.head = head
        self.schedule = schedule
        self.steps = steps
        self.algorithm = algorithm
        self.cfgScale = cfgScale
    }

    /// Samples one latent `[1, latent]` from `condition` and `negativeCondition` (`[1, H]` each) with injected
    /// noise: `noise` `[1 or 2, latent]` is the initial sample (row 0 is used, as upstream), `stepNoise` one
    /// `[1 or 2, latent]` tensor per step for the SDE solver (row 0 used; ignored by the ODE solver).
    /// - Throws: `ModelError.invalidInput` on mismatched shapes or missing SDE noise.
    public func sampleSpeechTokens(
        condition: Tensor, negativeCondition: Tensor, noise: Tensor, stepNoise: [Tensor] = [],
        _ ctx: ComputeContext
    ) throws -> Tensor {
        let latent = head.latentSize
        guard condition.shape == [1, head.hiddenSize], negativeCondition.shape == [1, head.hiddenSize],
            noise.shape.rank == 2, noise.shape.last == latent, noise.shape[0] >= 1
        else {
            throw ModelError.invalidInput(
                module: "SpeechLatentSampler",
                reason: "condition \(condition.shape), negative \(negativeCondition.shape), noise \(noise.shape)")
        }
        var solver = try DPMSolverMultistep(schedule: schedule, steps: steps, algorithm: algorithm)
        if algorithm == .sdeDPMSolverPlusPlus {
            guard stepNoise.count == solver.steps, stepNoise.allSatisfy({ $0.shape.last == latent }) else {
                throw ModelError.invalidInput(
                    module: "SpeechLatentSampler", reason: "sde-dpmsolver++ needs \(solver.steps) step noise tensors")
            }
        }
        let projected = try head.projectCondition(ctx.concat([condition, negativeCondition]), ctx)
        var x = try noise.rows(0..<1)
        for (k, t) in solver.timesteps.enumerated() {
            let v = try head.forward(
                ctx.concat([x, x]), timesteps: ctx.upload([Float(t)], shape: [1]), projectedCondition: projected, ctx)
            let positive = try v.rows(0..<1), negative = try v.rows(1..<2)
            let guided = try ctx.combine(
                [negative, ctx.combine([positive, negative], coefficients: [1, -1])], coefficients: [1, cfgScale])
            let z = algorithm == .sdeDPMSolverPlusPlus ? try stepNoise[k].rows(0..<1) : nil
            x = try solver.step(modelOutput: guided, sample: x, noise: z, ctx)
        }
        return x
    }

    /// Samples one latent drawing the noise from `generator` (normal use; not torch's random sequence).
    public func sampleSpeechTokens(
        condition: Tensor, negativeCondition: Tensor, generator: inout GaussianNoise, _ ctx: ComputeContext
    ) throws -> Tensor {
        let shape: Shape = [1, head.latentSize]
        let noise = try generator.tensor(shape, ctx)
        let stepNoise =
            algorithm == .sdeDPMSolverPlusPlus ? try (0..<steps).map { _ in try generator.tensor(shape, ctx) } : []
        return try sampleSpeechTokens(
            condition: condition, negativeCondition: negativeCondition, noise: noise, stepNoise: stepNoise, ctx)
    }
}
