import Testing
import VVModels

/// The training tables and timestep spacing vs upstream `DPMSolverMultistepScheduler` (fixture
/// `scheduler_trace.safetensors`, made by tools/reference/make_diffusion_fixtures.py) and spec-tts.md §4.1/§4.4.
struct DPMSolverScheduleTests {
    /// Betas, ᾱ and σ for all 1000 training steps: relative error ≤ 1e-6 per entry (σ spans 0.006 … 20291, so an
    /// off-by-one ᾱ index or a missing 0.999 clamp shows up as errors of order 1).
    @Test func trainingTablesMatchReference() throws {
        let schedule = try DPMSolverSchedule()
        let trace = try Trace("scheduler_trace.safetensors")
        for (name, actual) in [
            ("train.betas", schedule.betas), ("train.alphas_cumprod", schedule.alphasCumprod),
            ("train.sigmas", schedule.sigmas),
        ] {
            let expected = try trace.floats(name)
            #expect(actual.count == expected.count)
            expectRelative(actual, expected, name, tolerance: 1e-6)
        }
    }

    /// Anchors quoted in spec-tts.md §4.1 (independent of the fixture).
    @Test func anchorsFromSpec() throws {
        let s = try DPMSolverSchedule()
        #expect(abs(s.betas[0] - 4.1284224e-05) <= 1e-11)
        #expect(abs(s.betas[1] - 4.614175e-05) <= 1e-11)
        #expect(abs(s.betas[998] - 0.7499994) <= 1e-6)
        #expect(s.betas[999] == Float(0.999))  // the clamp
        #expect(abs(s.alphasCumprod[0] - 0.9999587) <= 1e-7)
        #expect(abs(s.alphasCumprod[998] / 2.4287663e-06 - 1) <= 1e-5)
        #expect(abs(s.alphasCumprod[999] / 2.428735e-09 - 1) <= 1e-5)
    }

    /// `linspace` spacing with round-half-even (499.5 → 500), 999-based, as spec-tts.md §4.4 lists and as the
    /// reference produced.
    @Test func timestepsFollowLinspaceSpacing() throws {
        let s = try DPMSolverSchedule()
        #expect(s.timesteps(steps: 5) == [999, 799, 599, 400, 200])
        #expect(s.timesteps(steps: 10) == [999, 899, 799, 699, 599, 500, 400, 300, 200, 100])
        #expect(
            s.timesteps(steps: 20) == [
                999, 949, 899, 849, 799, 749, 699, 649, 599, 549, 500, 450, 400, 350, 300, 250, 200, 150, 100, 50,
            ])
        let trace = try Trace("scheduler_trace.safetensors")
        for steps in [5, 10, 20] {
            #expect(try s.timesteps(steps: steps) == trace.ints("ode\(steps).timesteps").map(Int.init))
        }
        #expect(s.timesteps(steps: 1) == [999])
    }

    @Test func refusesOtherSchedules() {
        #expect(throws: ModelError.self) { try DPMSolverSchedule(betaSchedule: "linear") }
        #expect(throws: ModelError.self) { try DPMSolverSchedule(trainSteps: 0) }
        #expect(throws: Never.self) { try DPMSolverSchedule(betaSchedule: "squaredcos_cap_v2") }
    }
}
