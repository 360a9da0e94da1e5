import Foundation
import VVCompute

/// DPM-Solver++ multistep (order 2, midpoint, v-prediction, lower-order final, final sigma zero) for one diffusion
/// run: the timesteps and sigmas of `steps` inference steps plus the solver history. A value type: make one per
/// frame (upstream calls `set_timesteps` at the start of every `sample_speech_tokens`, so no history carries over).
///
/// Mirrors `DPMSolverMultistepScheduler` in microsoft/VibeVoice `vibevoice/schedule/dpm_solver.py` (`set_timesteps`,
/// `convert_model_output`, `dpm_solver_first_order_update`, `multistep_dpm_solver_second_order_update`, `step`)
/// with the settings `VibeVoiceStreamingModel` uses (spec-tts.md §4): the first step and the final step are first
/// order, every other step second order; coefficients are computed in fp32 from the fp32 sigma table exactly as the
/// reference does, and the update runs in fp32.
public struct DPMSolverMultistep: Sendable {
    /// The solver family.
    public enum Algorithm: String, Sendable, CaseIterable {
        /// The deterministic ODE solver (`dpmsolver++`, the config default and the file demo).
        case dpmSolverPlusPlus = "dpmsolver++"
        /// The stochastic variant (`sde-dpmsolver++`, the web demo): fresh noise enters at every step.
        case sdeDPMSolverPlusPlus = "sde-dpmsolver++"
    }

    /// The solver family.
    public let algorithm: Algorithm
    /// The integer timesteps, e.g. `[999, 799, 599, 400, 200]` for 5 steps.
    public let timesteps: [Int]
    /// `σ` at each timestep, then a final 0 (`steps + 1` values).
    public let sigmas: [Float]
    /// The step the next `step` call performs (0-based).
    public private(set) var stepIndex = 0
    /// The previous step's x0 prediction (`m1`), nil before the first step.
    public private(set) var previousPrediction: Tensor?

    /// Prepares `steps` inference steps over `schedule`.
    /// - Throws: `ModelError.invalidInput` when `steps` is not in `1..<schedule.trainSteps` (from `trainSteps`
    ///   steps on, rounding repeats timesteps and upstream's step-index lookup then skips one; nobody runs that).
    public init(schedule: DPMSolverSchedule, steps: Int, algorithm: Algorithm = .dpmSolverPlusPlus) throws {
        guard steps >= 1, steps < schedule.trainSteps else {
            throw ModelError.invalidInput(
                module: "DPMSolverMultistep", reason: "steps \(steps) outside 1..<\(schedule.trainSteps)")
        }
        self.algorithm = algorithm
        timesteps = schedule.timesteps(steps: steps)
        sigmas = timesteps.map { schedule.sigmas[$0] } + [0]
    }

    /// The number of steps.
    public var steps: Int { timesteps.count }
    /// Whether every step has been taken.
    public var isFinished: Bool { stepIndex >= steps }

    /// The scalars of step `k` in `0..<steps` (pure; the same whatever the history).
    public func coefficients(at k: Int) -> DPMStepCoefficients {
        precondition(k >= 0 && k < steps, "step \(k) outside 0..<\(steps)")
        // `_sigma_to_alpha_sigma_t`: α = 1/sqrt(σ² + 1), σ_t = σ·α (fp32, as the reference's 0-d tensors).
        func alphaSigma(_ sigma: Float) -> (alpha: Float, sigma: Float) {
            let alpha = 1 / (sigma * sigma + 1).squareRoot()
            return (alpha, sigma * alpha)
        }
        func lambda(_ pair: (alpha: Float, sigma: Float)) -> Float { log(pair.alpha) - log(pair.sigma) }
        let s0 = alphaSigma(sigmas[k]), t = alphaSigma(sigmas[k + 1])
        let h = lambda(t) - lambda(s0)
        let order = (k == 0 || k == steps - 1) ? 1 : 2
        var a: Float, b: Float, c: Float = 0, d: Float = 0
        switch algorithm {
        case .dpmSolverPlusPlus:
            a = t.sigma / s0.sigma
            b = -(t.alpha * (exp(-h) - 1))
        case .sdeDPMSolverPlusPlus:
            a = t.sigma / s0.sigma * exp(-h)
            b = t.alpha * (1 - exp(-2 * h))
            d = t.sigma * (1 - exp(-2 * h)).squareRoot()
        }
        if order == 2 {
            let s1 = alphaSigma(sigmas[k - 1])
            let r0 = (lambda(s0) - lambda(s1)) / h
            // D1 = (1/r0)·(m0 − m1) enters with half the first-order weight (midpoint).
            c = 0.5 * b * (1 / r0)
        }
        return DPMStepCoefficients(order: order, alphaS: s0.alpha, sigmaS: s0.sigma, a: a, b: b, c: c, d: d)
    }

    /// Takes one step: converts `modelOutput` (v, the shape of `sample`) to x0, pushes it into the history and
    /// returns the sample at the next timestep. The SDE variant needs `noise` (standard normal, the shape of
    /// `sample`); the ODE solver ignores it.
    /// - Throws: `ModelError.invalidInput` after the last step, on a shape mismatch, or without noise for the SDE.
    public mutating func step(
        modelOutput v: Tensor, sample x: Tensor, noise: Tensor? = nil, _ ctx: ComputeContext
    ) throws -> Tensor {
        let k = try currentStep()
        guard v.shape == x.shape else {
            throw ModelError.invalidInput(
                module: "DPMSolverMultistep", reason: "model output \(v.shape), sample \(x.shape)")
        }
        let coefficients = coefficients(at: k)
        let m0 = try ctx.combine([x, v], coefficients: [coefficients.alphaS, -coefficients.sigmaS])
        var terms = [x, m0], weights = [coefficients.a, coefficients.b]
        if coefficients.order == 2, let m1 = previousPrediction {
            terms.append(try ctx.combine([m0, m1], coefficients: [1, -1]))
            weights.append(coefficients.c)
        }
        if algorithm == .sdeDPMSolverPlusPlus {
            guard let noise, noise.shape == x.shape else {
                throw ModelError.invalidInput(
                    module: "DPMSolverMultistep", reason: "sde-dpmsolver++ needs noise of shape \(x.shape) at each step"
                )
            }
            terms.append(noise)
            weights.append(coefficients.d)
        }
        let next = try ctx.combine(terms, coefficients: weights)
        previousPrediction = m0
        stepIndex += 1
        return next
    }

    private func currentStep() throws -> Int {
        guard stepIndex < steps else {
            throw ModelError.invalidInput(module: "DPMSolverMultistep", reason: "all \(steps) steps already taken")
        }
        return stepIndex
    }
}
