import Foundation
import Testing
import VVCompute
import VVComputeCPU
import VVModelFiles

/// conv1d / convTranspose1d / modulate vs torch (fixture `op_trace`, fp32): max-abs ≤ 1e-5 (values are O(1-10)
/// sums of at most 42 products), and hand-computed cases.
struct ConvOpsTests {
    let trace: SafetensorsFile
    let cpu = CPUBackend(threads: 2)

    init() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
            "Fixtures/op_trace.safetensors"
        ).path
        trace = try SafetensorsFile(path: path)
    }

    func tensor(_ name: String) throws -> Tensor {
        let view = try #require(trace.tensor(named: name), "fixture tensor \(name)")
        return try cpu.upload(view.floats(), shape: Shape(view.shape))
    }

    func expected(_ name: String) throws -> [Float] { try #require(trace.tensor(named: name)).floats() }

    @Test(arguments: [
        ("plain", 1, 1, 1, 0), ("depthwise_causal", 1, 1, 6, 6), ("strided", 4, 1, 1, 0), ("dilated_grouped", 2, 3, 2, 0),
    ])
    func conv1dMatchesTorch(name: String, stride: Int, dilation: Int, groups: Int, causalPad: Int) throws {
        var x = try tensor("conv.\(name).x")
        if causalPad > 0 {  // the σ-VAE's causal zero padding, done with concat along time
            x = try cpu.concat([cpu.zeros([x.shape[0], x.shape[1], causalPad], dtype: .f32), x], axis: 2)
        }
        let params = Conv1dParams(stride: stride, dilation: dilation, groups: groups)
        let weight = try tensor("conv.\(name).w"), bias = try tensor("conv.\(name).b")
        let y = try cpu.conv1d(x, weight: weight, bias: bias, params: params)
        #expect(y.shape.dims == trace.tensor(named: "conv.\(name).y")?.shape)
        expectClose(try cpu.download(y), try expected("conv.\(name).y"), tolerance: 1e-5, name)
        // bf16 weights give exactly what f32 weights holding the same rounded values give.
        let half = try cpu.zeros(weight.shape, dtype: .bf16)
        try cpu.copy(weight, into: half)
        let widened = try cpu.upload(cpu.download(half), shape: weight.shape)
        expectClose(
            try cpu.download(cpu.conv1d(x, weight: half, bias: bias, params: params)),
            try cpu.download(cpu.conv1d(x, weight: widened, bias: bias, params: params)), tolerance: 0, "\(name) bf16")
    }

    @Test(arguments: [("upsample", 4, 1), ("grouped", 2, 2)])
    func convTranspose1dMatchesTorch(name: String, stride: Int, groups: Int) throws {
        let y = try cpu.convTranspose1d(
            tensor("convT.\(name).x"), weight: tensor("convT.\(name).w"), bias: tensor("convT.\(name).b"),
            params: ConvTranspose1dParams(stride: stride, groups: groups))
        #expect(y.shape.dims == trace.tensor(named: "convT.\(name).y")?.shape)
        expectClose(try cpu.download(y), try expected("convT.\(name).y"), tolerance: 1e-5, name)
    }

    @Test func modulateMatchesTorch() throws {
        let y = try cpu.modulate(tensor("modulate.x"), shift: tensor("modulate.shift"), scale: tensor("modulate.scale"))
        expectClose(try cpu.download(y), try expected("modulate.y"), tolerance: 1e-6, "modulate")
    }

    /// Upstream `TimestepEmbedder.timestep_embedding` (256 dims) at the DPM timesteps: max-abs ≤ 1e-4 (measured
    /// 2.9e-5: f32 angles up to 1000 rad, libm vs torch cos/sin).
    @Test func timestepEmbeddingMatchesUpstream() throws {
        let y = try cpu.timestepEmbedding(tensor("timestep.t"), dim: 256, maxPeriod: 10000)
        #expect(y.shape == [8, 256])
        expectClose(try cpu.download(y), try expected("timestep.y"), tolerance: 1e-4, "timestep embedding")
        // t = 0: cos 0 = 1 for the first half, sin 0 = 0 for the second (hand-checked).
        let zero = try cpu.download(cpu.timestepEmbedding(cpu.upload([0], shape: [1]), dim: 5, maxPeriod: 10000))
        #expect(zero == [1, 1, 0, 0, 0])
    }

    @Test func handComputedConvolutions() throws {
        // x = [1, 2, 3, 4], kernel [1, 10], bias 0.5 → [21.5, 32.5, 43.5]; stride 2 → [21.5, 43.5]
        let x = try cpu.upload([1, 2, 3, 4], shape: [1, 1, 4])
        let w = try cpu.upload([1, 10], shape: [1, 1, 2])
        let b = try cpu.upload([0.5], shape: [1])
        #expect(try cpu.download(cpu.conv1d(x, weight: w, bias: b, params: .init())) == [21.5, 32.5, 43.5])
        #expect(try cpu.download(cpu.conv1d(x, weight: w, bias: b, params: .init(stride: 2))) == [21.5, 43.5])
        // transposed, stride 2, kernel [1, 10]: frames t·2 + k ← x[t]·w[k] → [1, 10, 2, 20, 3, 30, 4, 40]
        let up = try cpu.convTranspose1d(x, weight: w, bias: nil, params: .init(stride: 2))
        #expect(try cpu.download(up) == [1, 10, 2, 20, 3, 30, 4, 40])
        // overlap: stride 1 → [1, 12, 23, 34, 40]
        #expect(try cpu.download(cpu.convTranspose1d(x, weight: w, bias: nil, params: .init(stride: 1))) == [1, 12, 23, 34, 40])
        #expect(throws: ComputeError.self) { try cpu.conv1d(x, weight: cpu.zeros([1, 1, 5], dtype: .f32), bias: nil, params: .init()) }
    }

    @Test func sliceConcatAndCombine() throws {
        let x = try cpu.upload((0..<12).map(Float.init), shape: [2, 2, 3])
        #expect(try cpu.download(cpu.slice(x, axis: 2, range: 1..<3)) == [1, 2, 4, 5, 7, 8, 10, 11])
        #expect(try cpu.download(cpu.slice(x, axis: 0, range: 1..<2)) == [6, 7, 8, 9, 10, 11])
        let joined = try cpu.concat([cpu.slice(x, axis: 2, range: 2..<3), cpu.slice(x, axis: 2, range: 0..<1)], axis: 2)
        #expect(try cpu.download(joined) == [2, 0, 5, 3, 8, 6, 11, 9])
        #expect(throws: ComputeError.self) { try cpu.slice(x, axis: 3, range: 0..<1) }
        let a = try cpu.upload([1, 2], shape: [2]), b = try cpu.upload([10, 20], shape: [2])
        #expect(try cpu.download(cpu.combine([a, b], coefficients: [2, -0.5])) == [-3, -6])
        #expect(throws: ComputeError.self) { try cpu.combine([a], coefficients: [1, 2]) }
    }

    /// `transpose` swaps the last two dimensions per batch: [2, 2, 3] → [2, 3, 2]; rank 1 is refused.
    @Test func transposeSwapsLastTwoDimensions() throws {
        let x = try cpu.upload((0..<12).map(Float.init), shape: [2, 2, 3])
        let y = try cpu.transpose(x)
        #expect(y.shape == [2, 3, 2])
        #expect(try cpu.download(y) == [0, 3, 1, 4, 2, 5, 6, 9, 7, 10, 8, 11])
        #expect(try cpu.download(cpu.transpose(y)) == cpu.download(x))
        #expect(throws: ComputeError.self) { try cpu.transpose(cpu.zeros([4], dtype: .f32)) }
    }
}
