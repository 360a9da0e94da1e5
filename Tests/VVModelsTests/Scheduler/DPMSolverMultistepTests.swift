import Testing
import VVCompute
import VVComputeCPU
import VVModels

/// DPM-Solver++ step by step vs upstream `DPMSolverMultistepScheduler` (fixture `scheduler_trace.safetensors`):
/// the sigmas, every step's order and coefficients (probed from the reference update functions with unit inputs),
/// and a stub-model loop (v = 0.1·x + const, spec-tts.md §4.6) with x0 and the new sample after every step.
struct DPMSolverMultistepTests {
    let ctx = ComputeContext(backend: CPUBackend(threads: 1))

    /// Inference sigmas (with the final 0) for 5/10/20 steps: relative ≤ 2.5e-7 (table lookups; 2 ulp, see below).
    @Test(arguments: [5, 10, 20])
    func sigmasMatchReference(steps: Int) throws {
        let solver = try DPMSolverMultistep(schedule: DPMSolverSchedule(), steps: steps)
        expectRelative(
            solver.sigmas, try Trace("scheduler_trace.safetensors").floats("ode\(steps).sigmas"),
            "ode\(steps).sigmas", tolerance: 2.5e-7)
        #expect(solver.sigmas.last == 0)
    }

    /// Order per step (first order at the first and the final step, second order in between, never a first-order
    /// fallback on the second-to-last step) and (a, b, c, d) per step: relative ≤ 2e-6, absolute where 0.
    @Test(arguments: [("ode", 5), ("ode", 10), ("ode", 20), ("sde", 5)])
    func coefficientsMatchReference(kind: String, steps: Int) throws {
        let algorithm: DPMSolverMultistep.Algorithm = kind == "ode" ? .dpmSolverPlusPlus : .sdeDPMSolverPlusPlus
        let solver = try DPMSolverMultistep(schedule: DPMSolverSchedule(), steps: steps, algorithm: algorithm)
        let trace = try Trace("scheduler_trace.safetensors")
        let orders = try trace.ints("\(kind)\(steps).orders").map(Int.init)
        let expected = try trace.floats("\(kind)\(steps).coefficients")
        #expect(orders == [1] + Array(repeating: 2, count: steps - 2) + [1])
        var actual: [Float] = []
        for k in 0..<steps {
            let c = solver.coefficients(at: k)
            #expect(c.order == orders[k], "step \(k) order")
            actual += [c.a, c.b, c.c, c.d]
        }
        expectRelative(actual, expected, "\(kind)\(steps).coefficients", tolerance: 2e-6)
    }

    /// The N = 5 ODE table of spec-tts.md §4.4 (independent numbers): relative ≤ 2e-6.
    @Test func fiveStepTableFromSpec() throws {
        let solver = try DPMSolverMultistep(schedule: DPMSolverSchedule(), steps: 5)
        #expect(solver.timesteps == [999, 799, 599, 400, 200])
        let table: [[Float]] = [
            [0.95181638, 0.30662164, 0], [0.85300636, 0.32219875, 0.014720449],
            [0.73283046, 0.37591538, 0.14764102], [0.53739679, 0.51557958, 0.32116181], [0, 1, 0],
        ]
        let actual = (0..<5).flatMap { k -> [Float] in
            let c = solver.coefficients(at: k)
            return [c.a, c.b, c.c]
        }
        expectRelative(actual, table.flatMap { $0 }, "spec N=5 table", tolerance: 2e-6)
        let alphas: [Float] = [4.9282196e-05, 0.30666855, 0.58378899, 0.80373377, 0.94750357]
        expectRelative((0..<5).map { solver.coefficients(at: $0).alphaS }, alphas, "spec N=5 alpha", tolerance: 2e-6)
    }

    /// The stub loop, every step: x0 (the solver's history entry) and the new sample, max-abs ≤ 1e-5 (values O(1);
    /// measured ≤ 5e-7). The SDE variant gets the reference's per-step noise.
    @Test(arguments: [("ode", 5), ("ode", 10), ("ode", 20), ("sde", 5)])
    func stubLoopMatchesReferenceStepByStep(kind: String, steps: Int) throws {
        let algorithm: DPMSolverMultistep.Algorithm = kind == "ode" ? .dpmSolverPlusPlus : .sdeDPMSolverPlusPlus
        var solver = try DPMSolverMultistep(schedule: DPMSolverSchedule(), steps: steps, algorithm: algorithm)
        let trace = try Trace("scheduler_trace.safetensors")
        let const = try trace.upload("stub.const", ctx)
        let noise = kind == "sde" ? try trace.floats("\(kind)\(steps).noise") : []
        let width = const.shape.last
        var x = try trace.upload("stub.x", ctx)
        for k in 0..<steps {
            let p = "\(kind)\(steps).step\(k)"
            let v = try ctx.combine([x, const], coefficients: [0.1, 1])
            expectMatches(try ctx.download(v), try trace.floats("\(p).v"), "\(p).v", tolerance: 1e-5)
            let z = kind == "sde" ? try ctx.upload(Array(noise[k * width..<(k + 1) * width]), shape: x.shape) : nil
            x = try solver.step(modelOutput: v, sample: x, noise: z, ctx)
            let m0 = try #require(solver.previousPrediction)
            expectMatches(try ctx.download(m0), try trace.floats("\(p).x0"), "\(p).x0", tolerance: 1e-5)
            expectMatches(try ctx.download(x), try trace.floats("\(p).out"), "\(p).out", tolerance: 1e-5)
        }
        #expect(solver.isFinished)
        #expect(throws: ModelError.self) { _ = try solver.step(modelOutput: x, sample: x, ctx) }
    }

    /// Every step count from 1 to 30, ODE and SDE: timesteps and orders exact; sigmas relative ≤ 2.5e-7 (2 ulp:
    /// torch's vectorised fp32 sqrt differs from the correctly rounded one by 1 ulp at 182 of the 1000 table
    /// entries); coefficients relative ≤ 5e-6 (at 20+ steps consecutive λ differ little, so that ulp is amplified
    /// in h and r0; measured 3.5e-6); the stub loop's final sample max-abs ≤ 1e-5 (SDE with zero noise).
    @Test(arguments: DPMSolverMultistep.Algorithm.allCases)
    func everyStepCountMatchesReference(algorithm: DPMSolverMultistep.Algorithm) throws {
        let trace = try Trace("scheduler_trace.safetensors")
        let kind = algorithm == .dpmSolverPlusPlus ? "ode" : "sde"
        let const = try trace.upload("stub.const", ctx)
        for steps in 1...30 {
            let p = "sweep.\(kind)\(steps)"
            var solver = try DPMSolverMultistep(schedule: DPMSolverSchedule(), steps: steps, algorithm: algorithm)
            #expect(try solver.timesteps == trace.ints("\(p).timesteps").map(Int.init), "\(p) timesteps")
            expectRelative(solver.sigmas, try trace.floats("\(p).sigmas"), "\(p).sigmas", tolerance: 2.5e-7)
            #expect(
                try (0..<steps).map { solver.coefficients(at: $0).order } == trace.ints("\(p).orders").map(Int.init))
            let coefficients = (0..<steps).flatMap { k -> [Float] in
                let c = solver.coefficients(at: k)
                return [c.a, c.b, c.c, c.d]
            }
            expectRelative(coefficients, try trace.floats("\(p).coefficients"), "\(p).coefficients", tolerance: 5e-6)
            var x = try trace.upload("stub.x", ctx)
            let zero = try ctx.zeros(x.shape)
            while !solver.isFinished {
                let v = try ctx.combine([x, const], coefficients: [0.1, 1])
                x = try solver.step(modelOutput: v, sample: x, noise: zero, ctx)
            }
            expectMatches(try ctx.download(x), try trace.floats("\(p).output"), "\(p).output", tolerance: 1e-5)
        }
    }

    /// The final step returns the x0 prediction exactly (final sigma 0): a = 0, b = 1.
    @Test func finalStepReturnsDataPrediction() throws {
        var solver = try DPMSolverMultistep(schedule: DPMSolverSchedule(), steps: 1)
        let x = try ctx.upload([0.5, -1, 2], shape: [1, 3]), v = try ctx.upload([1, 1, -1], shape: [1, 3])
        let out = try ctx.download(solver.step(modelOutput: v, sample: x, ctx))
        let c = solver.coefficients(at: 0)
        let expected = zip([Float(0.5), -1, 2], [Float(1), 1, -1]).map { c.alphaS * $0 - c.sigmaS * $1 }
        #expect(out == expected)
    }

    @Test func sdeRequiresNoiseAndShapesMustMatch() throws {
        var sde = try DPMSolverMultistep(schedule: DPMSolverSchedule(), steps: 5, algorithm: .sdeDPMSolverPlusPlus)
        let x = try ctx.upload([1, 2], shape: [1, 2])
        #expect(throws: ModelError.self) { _ = try sde.step(modelOutput: x, sample: x, ctx) }
        var ode = try DPMSolverMultistep(schedule: DPMSolverSchedule(), steps: 5)
        #expect(throws: ModelError.self) {
            _ = try ode.step(modelOutput: try ctx.upload([1, 2, 3], shape: [1, 3]), sample: x, ctx)
        }
        #expect(throws: ModelError.self) { _ = try DPMSolverMultistep(schedule: DPMSolverSchedule(), steps: 0) }
        #expect(throws: ModelError.self) { _ = try DPMSolverMultistep(schedule: DPMSolverSchedule(), steps: 1000) }
        #expect(
            try DPMSolverMultistep(schedule: DPMSolverSchedule(), steps: 999).timesteps == Array((1...999).reversed()))
    }
}
