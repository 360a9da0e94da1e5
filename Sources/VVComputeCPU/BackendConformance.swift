import VVCompute

/// Runs every `ComputeBackend` op on a candidate backend and on a reference (the portable CPU kernels by default)
/// with the same deterministic random inputs, and reports the largest difference per op.
///
/// This is the "every backend op matches the CPU backend within its tolerance" check of DESIGN.md: tests run it for
/// the AVX2 kernels now, and the CUDA backend and `vibevoice selftest` can run it unchanged. An error is measured as
/// max-abs divided by max(1, the reference's largest magnitude).
public enum BackendConformance {
    /// One op's outcome.
    public struct Result: Sendable, CustomStringConvertible {
        /// The op and case (`"linear bf16 33x200x70"`).
        public let name: String
        /// The scaled max-abs difference.
        public let error: Float
        /// The tolerance it was held to.
        public let tolerance: Float

        /// True when `error <= tolerance`.
        public var passed: Bool { error <= tolerance }

        /// `"ok    linear f32 1x37x13: 1.2e-07 (tolerance 1e-04)"` style text.
        public var description: String {
            "\(passed ? "ok  " : "FAIL") \(name): \(error) (tolerance \(tolerance))"
        }
    }

    /// Compares every op of `candidate` with `reference`; `tolerance` applies to each (1e-4 suits fp32 backends).
    /// - Throws: whatever an op throws on either backend (a conforming backend throws on none of these inputs).
    public static func run(
        _ candidate: any ComputeBackend, reference: any ComputeBackend = CPUBackend(threads: 1, isa: .scalar),
        tolerance: Float = 1e-4
    ) throws -> [Result] {
        var results: [Result] = []
        var seed: UInt64 = 0x5EED
        func random(_ count: Int, scale: Float = 1) -> [Float] {
            (0..<count).map { _ in
                seed = seed &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                return (Float(UInt32(truncatingIfNeeded: seed >> 33)) * 0x1p-31 * 2 - 1) * scale
            }
        }
        /// Runs `op` on both backends; it must draw no random numbers itself (both sides need the same inputs).
        func compare(_ name: String, _ op: (any ComputeBackend) throws -> Tensor) throws {
            let expected = try reference.download(op(reference))
            let actual = try candidate.download(op(candidate))
            let scale = max(1, expected.map { abs($0) }.max() ?? 1)
            var worst: Float = actual.count == expected.count ? 0 : .infinity
            for (a, e) in zip(actual, expected) where !(abs(a - e) <= worst) { worst = abs(a - e) }
            results.append(Result(name: name, error: worst / scale, tolerance: tolerance))
        }
        func weight(_ values: [Float], _ shape: Shape, _ dtype: DType, on backend: any ComputeBackend) throws -> Tensor {
            let f32 = try backend.upload(values, shape: shape)
            if dtype == .f32 { return f32 }
            let converted = try backend.zeros(shape, dtype: dtype)
            try backend.copy(f32, into: converted)
            return converted
        }

        for (m, k, n) in [(1, 37, 13), (2, 64, 96), (7, 96, 40), (33, 200, 70)] {
            let x = random(m * k), w = random(n * k), bias = random(n)
            for dtype in [DType.f32, .bf16, .f16] {
                try compare("linear \(dtype) \(m)x\(k)x\(n)") { b in
                    try b.linear(
                        b.upload(x, shape: [m, k]), weight: weight(w, [n, k], dtype, on: b),
                        bias: b.upload(bias, shape: [n]))
                }
            }
        }
        let table = random(50 * 16), ids: [Int32] = [3, 0, 49, 3, 17]
        try compare("embedding bf16") { b in
            try b.embedding(weight(table, [50, 16], .bf16, on: b), ids: b.uploadInt32(ids, shape: [5]))
        }
        let rows = random(6 * 64, scale: 3), gamma = random(64)
        try compare("rmsNorm") { b in try b.rmsNorm(b.upload(rows, shape: [6, 64]), weight: b.upload(gamma, shape: [64]), eps: 1e-6) }
        let positions: [Int32] = [0, 1, 700, 8191, 2, 40]
        try compare("rope") { b in
            try b.rope(
                b.upload(rows, shape: [6, 64]), positions: b.uploadInt32(positions, shape: [6]),
                params: RopeParams(heads: 2, headDim: 32, theta: 1_000_000))
        }
        try attentionCases(compare, random)
        let a = random(4 * 24, scale: 4), c = random(4 * 24), row = random(24), row2 = random(24)
        try compare("siluMul") { b in try b.siluMul(b.upload(a, shape: [4, 24]), b.upload(c, shape: [4, 24])) }
        for op in UnaryOp.allCases {
            try compare("unary \(op)") { b in try b.unary(op, b.upload(a, shape: [4, 24])) }
        }
        try compare("add broadcast") { b in try b.add(b.upload(a, shape: [4, 24]), b.upload(row, shape: [24])) }
        try compare("mul") { b in try b.mul(b.upload(a, shape: [4, 24]), b.upload(c, shape: [4, 24])) }
        try compare("scale") { b in try b.scale(b.upload(a, shape: [4, 24]), by: -0.75) }
        try compare("modulate broadcast") { b in
            try b.modulate(b.upload(a, shape: [4, 24]), shift: b.upload(row, shape: [24]), scale: b.upload(row2, shape: [24]))
        }
        try compare("modulate") { b in
            try b.modulate(b.upload(a, shape: [4, 24]), shift: b.upload(c, shape: [4, 24]), scale: b.upload(a, shape: [4, 24]))
        }
        try compare("combine") { b in
            try b.combine([b.upload(a, shape: [4, 24]), b.upload(c, shape: [4, 24])], coefficients: [0.3, -1.7])
        }
        let timesteps: [Float] = [999, 799, 600.5, 0]
        try compare("timestepEmbedding") { b in
            try b.timestepEmbedding(b.upload(timesteps, shape: [4]), dim: 256, maxPeriod: 10000)
        }
        try compare("argmax") { b in
            try b.upload(b.downloadInt32(b.argmax(b.upload(a, shape: [4, 24]), allowed: nil)).map(Float.init), shape: [4])
        }
        try compare("argmax allowed") { b in
            let allowed = try b.uploadInt32([5, 1, 20], shape: [3])
            return try b.upload(
                b.downloadInt32(b.argmax(b.upload(a, shape: [4, 24]), allowed: allowed)).map(Float.init), shape: [4])
        }
        try compare("concat axis 1 + slice") { b in
            let x = try b.upload(a, shape: [4, 24])
            return try b.slice(b.concat([x, b.upload(c, shape: [4, 24])], axis: 1), axis: 1, range: 10..<40)
        }
        try compare("transpose") { b in try b.transpose(b.upload(a, shape: [2, 3, 16])) }
        let signal = random(2 * 6 * 30), kernel = random(4 * 3 * 5), convBias = random(4)
        try compare("conv1d grouped strided dilated") { b in
            try b.conv1d(
                b.upload(signal, shape: [2, 6, 30]), weight: weight(kernel, [4, 3, 5], .bf16, on: b),
                bias: b.upload(convBias, shape: [4]), params: Conv1dParams(stride: 2, dilation: 2, groups: 2))
        }
        let denseConv = random(5 * 6 * 4)
        try compare("conv1d dense bf16") { b in
            try b.conv1d(
                b.upload(signal, shape: [2, 6, 30]), weight: weight(denseConv, [5, 6, 4], .bf16, on: b),
                bias: nil, params: Conv1dParams(stride: 3, dilation: 2))
        }
        let upKernel = random(6 * 2 * 8), upBias = random(4)
        let denseKernel = random(6 * 5 * 8)
        try compare("convTranspose1d dense bf16") { b in
            try b.convTranspose1d(
                b.upload(signal, shape: [2, 6, 30]), weight: weight(denseKernel, [6, 5, 8], .bf16, on: b),
                bias: b.upload(convBias + [0.5], shape: [5]), params: ConvTranspose1dParams(stride: 4))
        }
        try compare("convTranspose1d grouped") { b in
            try b.convTranspose1d(
                b.upload(signal, shape: [2, 6, 30]), weight: b.upload(upKernel, shape: [6, 2, 8]),
                bias: b.upload(upBias, shape: [4]), params: ConvTranspose1dParams(stride: 4, groups: 2))
        }
        return results
    }

    /// KV writes and causal GQA attention: prefill of 3 tokens into two sequences of different lengths, then decode.
    private static func attentionCases(
        _ compare: (String, (any ComputeBackend) throws -> Tensor) throws -> Void, _ random: (Int, Float) -> [Float]
    ) throws {
        for (d, cacheType) in [(64, DType.f32), (128, .f32), (64, .bf16), (128, .f16)] {
            let capacity = 300, heads = 4, kvHeads = 2
            let history = random(2 * kvHeads * capacity * d, 2), values = random(2 * kvHeads * capacity * d, 1)
            let q = random(2 * 3 * heads * d, 1), newK = random(2 * 3 * kvHeads * d, 2)
            let positions: [Int32] = [250, 251, 252, 7, 8, 9]
            try compare("writeKV + attention d\(d) \(cacheType) cache") { b in
                let shape: Shape = [2, kvHeads, capacity, d]
                var keys = try b.upload(history, shape: shape)
                var cached = try b.upload(values, shape: shape)
                if cacheType != .f32 {
                    let (k16, v16) = (try b.zeros(shape, dtype: cacheType), try b.zeros(shape, dtype: cacheType))
                    try b.copy(keys, into: k16)
                    try b.copy(cached, into: v16)
                    (keys, cached) = (k16, v16)
                }
                let slots = try b.uploadInt32(positions, shape: [6])
                try b.writeKV(
                    cache: keys, values: b.upload(newK, shape: [6, kvHeads * d]), positions: slots,
                    params: KVWriteParams(batch: 2, tokens: 3, kvHeads: kvHeads, headDim: d, capacity: capacity))
                return try b.attention(
                    b.upload(q, shape: [6, heads * d]), keys: keys, values: cached, positions: slots,
                    params: AttentionParams(
                        batch: 2, queryLength: 3, heads: heads, kvHeads: kvHeads, headDim: d, capacity: capacity,
                        scale: 1 / Float(d).squareRoot()))
            }
        }
    }
}
