import Foundation

/// The training noise schedule of the VibeVoice diffusion: cosine betas (clamped at 0.999), cumulative alphas and
/// the sigma table `σ_i = sqrt((1 − ᾱ_i)/ᾱ_i)`, as `DPMSolverMultistepScheduler.__init__` builds them in microsoft/VibeVoice
/// `vibevoice/schedule/dpm_solver.py` (`betas_for_alpha_bar`, `beta_schedule="cosine"`; spec-tts.md §4.1).
///
/// Built once and shared (an immutable value); per-frame solver state lives in `DPMSolverMultistep`.
public struct DPMSolverSchedule: Sendable, Equatable {
    /// `num_train_timesteps` (1000 for every VibeVoice model).
    public let trainSteps: Int
    /// `β_i = min(1 − ᾱ((i+1)/T)/ᾱ(i/T), 0.999)`, computed in Double and stored as Float like upstream.
    public let betas: [Float]
    /// `cumprod(1 − β)` (accumulated in Double, as torch's CPU cumprod does, stored as Float).
    public let alphasCumprod: [Float]
    /// `((1 − ᾱ)/ᾱ)^0.5` in Float: the table `set_timesteps` reads at integer timesteps.
    public let sigmas: [Float]

    /// The largest beta (`max_beta` of `betas_for_alpha_bar`).
    public static let maxBeta = 0.999

    /// Builds the schedule.
    /// - Parameters:
    ///   - trainSteps: `ddpm_num_steps` (1000).
    ///   - betaSchedule: `ddpm_beta_schedule`: `cosine` or `squaredcos_cap_v2` (the same betas upstream).
    /// - Throws: `ModelError.invalidInput` for another schedule or a non-positive step count.
    public init(trainSteps: Int = 1000, betaSchedule: String = "cosine") throws {
        guard trainSteps > 0 else {
            throw ModelError.invalidInput(
                module: "DPMSolverSchedule", reason: "trainSteps \(trainSteps) must be positive")
        }
        guard betaSchedule == "cosine" || betaSchedule == "squaredcos_cap_v2" else {
            throw ModelError.invalidInput(
                module: "DPMSolverSchedule", reason: "beta schedule '\(betaSchedule)' is not supported (cosine only)")
        }
        func alphaBar(_ t: Double) -> Double {
            let c = cos((t + 0.008) / 1.008 * Double.pi / 2)
            return c * c
        }
        var betas = [Float](), cumulative = [Float](), sigmas = [Float]()
        var product = 1.0
        for i in 0..<trainSteps {
            let t1 = Double(i) / Double(trainSteps), t2 = Double(i + 1) / Double(trainSteps)
            let beta = Float(min(1 - alphaBar(t2) / alphaBar(t1), Self.maxBeta))
            betas.append(beta)
            product *= Double(1 - beta)
            let alphaBarI = Float(product)
            cumulative.append(alphaBarI)
            sigmas.append(((1 - alphaBarI) / alphaBarI).squareRoot())
        }
        self.trainSteps = trainSteps
        self.betas = betas
        self.alphasCumprod = cumulative
        self.sigmas = sigmas
    }

    /// The inference timesteps for `steps` steps: `round_half_even(linspace(0, T−1, steps+1))` reversed, without
    /// the last (0) entry, as `set_timesteps` with `timestep_spacing="linspace"` and `lambda_min_clipped=-inf`
    /// computes them: e.g. `[999, 799, 599, 400, 200]` for 5.
    public func timesteps(steps: Int) -> [Int] {
        let last = Double(trainSteps - 1)
        let points = (0...steps).map { i -> Int in
            // numpy linspace: start + i·step, with the endpoint exactly `last`.
            let value = i == steps ? last : Double(i) * (last / Double(steps))
            return Int(value.rounded(.toNearestOrEven))
        }
        return Array(points.reversed().dropLast())
    }
}
