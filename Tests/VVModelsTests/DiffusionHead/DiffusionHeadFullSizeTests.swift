import Foundation
import Testing
import VVCompute
import VVComputeCPU
import VVModelFiles
import VVModels

/// The realtime head at its real width (hidden 896, 4 layers, FFN 2688, latent 64) vs upstream, with weights both
/// sides generate bit-exactly from a counter hash (`hash_weights` in tools/reference/make_diffusion_fixtures.py), so
/// the fixture holds only inputs and outputs (`diffusion_fullsize_trace.safetensors`). Catches what tiny shapes hide
/// (threaded column splits, vector tails at real widths). Head output and a 5-step CFG loop with the reference's
/// noise: max-abs ≤ 1e-4 relative to the largest magnitude above 1.
struct DiffusionHeadFullSizeTests {
    static func hashWeights() throws -> InMemoryTensors {
        let config = try realtimeConfig()
        let layout = DiffusionHeadRandomWeights.make(config: config, prefix: "", dtype: .f32)
        let tensors = InMemoryTensors()
        for (n, name) in layout.tensorNames.enumerated() {
            let shape = try #require(layout.tensor(named: name)).shape
            let norm = name.hasSuffix("norm.weight")
            tensors.add(name, dtype: .f32, shape: shape) { buffer in
                let out = buffer.bindMemory(to: Float.self)
                let scale = Float(0.1)
                for i in 0..<out.count {
                    var u = (UInt64(i + 1) &* 0x9E37_79B1 &+ UInt64(n) &* 0x85EB_CA77) & 0xFFFF_FFFF
                    u ^= u >> 15
                    u = (u &* 0x2C1B_3C6D) & 0xFFFF_FFFF
                    u ^= u >> 12
                    let value = (Float(u >> 8) * 0x1p-24 - 0.5) * scale
                    out[i] = norm ? value + 1 : value
                }
            }
        }
        return tensors
    }

    static func realtimeConfig() throws -> DiffusionHeadConfig {
        try JSONDecoder().decode(
            DiffusionHeadConfig.self, from: Data(#"{"hidden_size": 896, "head_layers": 4, "latent_size": 64}"#.utf8))
    }

    @Test func realWidthHeadAndLoopMatchReference() throws {
        let weights = try Self.hashWeights()
        let trace = try Trace("diffusion_fullsize_trace.safetensors")
        for isa in isaLevels {
            let ctx = ComputeContext(backend: CPUBackend(threads: 2, isa: isa))
            let binder = WeightBinder(source: weights)
            let head = try DiffusionHead(
                config: Self.realtimeConfig(), weights: WeightScope(binder: binder, context: ctx))
            try binder.finish()
            let condition = try trace.upload("condition", ctx)
            let out = try head.forward(
                trace.upload("x", ctx), timesteps: trace.upload("timesteps", ctx), condition: condition, ctx)
            expectMatches(try ctx.download(out), try trace.floats("output"), "\(isa) full-size head")
            let sampler = SpeechLatentSampler(head: head, schedule: try DPMSolverSchedule(), steps: 5, cfgScale: 1.5)
            let z = try sampler.sampleSpeechTokens(
                condition: condition.rows(0..<1), negativeCondition: condition.rows(1..<2),
                noise: trace.upload("loop.noise", ctx), ctx)
            expectMatches(try ctx.download(z), try trace.floats("loop.output"), "\(isa) full-size loop")
        }
    }
}
