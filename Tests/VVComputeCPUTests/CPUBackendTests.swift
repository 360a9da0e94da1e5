import Foundation
import Testing
import VVCompute
import VVComputeCPU

/// Kernel levels to test: always the portable one, plus AVX2 when this machine has it.
let isaLevels: [CPUBackend.ISA] = CPUBackend.ISA.detected == .avx2 ? [.scalar, .avx2] : [.scalar]

func expectClose(_ actual: [Float], _ expected: [Float], tolerance: Float, _ label: String = "") {
    #expect(actual.count == expected.count, "\(label): count \(actual.count) vs \(expected.count)")
    let worst = zip(actual, expected).map { abs($0 - $1) }.max() ?? 0
    #expect(worst <= tolerance, "\(label): max-abs \(worst) > \(tolerance)\nactual \(actual.prefix(32))\nexpected \(expected.prefix(32))")
}

/// Deterministic pseudo-random floats in [-1, 1).
func pseudoRandom(_ count: Int, seed: UInt64) -> [Float] {
    var state = seed &+ 0x9E37_79B9_7F4A_7C15
    return (0..<count).map { _ in
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Float(Int64(bitPattern: state >> 11) % 2_000_000) / 1_000_000 - 1
    }
}

struct CPUBackendTests {
    @Test(arguments: isaLevels)
    func linearHandComputed(isa: CPUBackend.ISA) throws {
        let cpu = CPUBackend(threads: 2, isa: isa)
        let x = try cpu.upload([1, 2, 3, 4], shape: [2, 2])
        let bias = try cpu.upload([0.5, 0, -1], shape: [3])
        for dtype in [DType.f32, .bf16, .f16] {
            let w32 = try cpu.upload([1, 0, 0, 1, 1, 1], shape: [3, 2])
            let w = try cpu.zeros([3, 2], dtype: dtype)
            try cpu.copy(w32, into: w)
            let y = try cpu.linear(x, weight: w, bias: bias)
            #expect(y.shape == [2, 3])
            // [1,2]·rows = 1, 2, 3 (+bias) ; [3,4]·rows = 3, 4, 7 (+bias)
            #expect(try cpu.download(y) == [1.5, 2, 2, 3.5, 4, 6], "\(dtype)")
        }
        #expect(throws: ComputeError.self) { try cpu.linear(x, weight: try cpu.zeros([3, 3], dtype: .f32), bias: nil) }
    }

    /// Odd sizes exercise the 1–2 and 3–6 row streams, the 4-row blocks, K tails, the prefill scratch path, the packed
    /// panels and threading.
    @Test(arguments: isaLevels)
    func linearMatchesDoublePrecisionReference(isa: CPUBackend.ISA) throws {
        let cpu = CPUBackend(threads: 2, isa: isa)
        for (m, k, n) in [
            (1, 37, 13), (2, 64, 256), (3, 40, 9), (4, 50, 20), (5, 70, 33), (6, 128, 17), (7, 96, 300),
            (33, 200, 70), (9, 43, 40), (8, 16, 16),
        ] {
            let xs = pseudoRandom(m * k, seed: UInt64(m * 1000 + k))
            let ws = pseudoRandom(n * k, seed: UInt64(n))
            let bs = pseudoRandom(n, seed: 7)
            for dtype in [DType.f32, .bf16, .f16] {
                let w = try cpu.zeros([n, k], dtype: dtype)
                try cpu.copy(try cpu.upload(ws, shape: [n, k]), into: w)
                let rounded = try cpu.download(w)  // the weights as stored in this dtype
                var expected = [Float](repeating: 0, count: m * n)
                for i in 0..<m {
                    for j in 0..<n {
                        var sum = Double(bs[j])
                        for c in 0..<k { sum += Double(xs[i * k + c]) * Double(rounded[j * k + c]) }
                        expected[i * n + j] = Float(sum)
                    }
                }
                let y = try cpu.linear(
                    try cpu.upload(xs, shape: [m, k]), weight: w, bias: try cpu.upload(bs, shape: [n]))
                // fp32 accumulation of k <= 200 products of magnitude <= 1: error well under 1e-4.
                expectClose(try cpu.download(y), expected, tolerance: 1e-4, "\(m)x\(k)x\(n) \(dtype)")
            }
        }
    }

    @Test func fusedLinearsEqualSeparateLinears() throws {
        let cpu = CPUBackend(threads: 2)
        let x = try cpu.upload(pseudoRandom(3 * 64, seed: 3), shape: [3, 64])
        let w1 = try cpu.upload(pseudoRandom(128 * 64, seed: 4), shape: [128, 64])
        let w2 = try cpu.zeros([40, 64], dtype: .bf16)
        try cpu.copy(try cpu.upload(pseudoRandom(40 * 64, seed: 5), shape: [40, 64]), into: w2)
        let b1 = try cpu.upload(pseudoRandom(128, seed: 6), shape: [128])
        let fused = try cpu.linears(x, weights: [w1, w2], biases: [b1, nil])
        #expect(try cpu.download(fused[0]) == cpu.download(cpu.linear(x, weight: w1, bias: b1)))
        #expect(try cpu.download(fused[1]) == cpu.download(cpu.linear(x, weight: w2, bias: nil)))
        #expect(throws: ComputeError.self) { try cpu.linears(x, weights: [w1], biases: []) }
    }

    @Test(arguments: isaLevels)
    func rmsNormHandComputed(isa: CPUBackend.ISA) throws {
        let cpu = CPUBackend(threads: 1, isa: isa)
        let x = try cpu.upload([3, 4, 0, 0, 1, 0], shape: [2, 3])
        // row 0: mean(x²) = 25/3 → 1/sqrt(25/3) = 0.34641016; row 1: mean = 1/3 → sqrt(3) = 1.7320508
        let plain = try cpu.download(try cpu.rmsNorm(x, weight: nil, eps: 0))
        expectClose(plain, [1.0392305, 1.3856406, 0, 0, 1.7320508, 0], tolerance: 1e-6)
        let weighted = try cpu.download(try cpu.rmsNorm(x, weight: try cpu.upload([2, 1, 1], shape: [3]), eps: 1e-6))
        // eps 1e-6 changes the scale by about 6e-8 relative: below the tolerance.
        expectClose(weighted, [2.078461, 1.3856406, 0, 0, 1.7320508, 0], tolerance: 1e-5)
    }

    @Test func ropeHandComputed() throws {
        let cpu = CPUBackend(threads: 1)
        // head_dim 4, theta 100: inv_freq = [1, 1/10]; position 2 → angles [2, 0.2]
        let x = try cpu.upload([1, 2, 3, 4, 1, 0, 0, 0], shape: [2, 4])
        let positions = try cpu.uploadInt32([2, 0], shape: [2])
        let y = try cpu.download(try cpu.rope(x, positions: positions, params: .init(heads: 1, headDim: 4, theta: 100)))
        let (c0, s0, c1, s1) = (cos(Float(2)), sin(Float(2)), cos(Float(0.2)), sin(Float(0.2)))
        let expected: [Float] = [1 * c0 - 3 * s0, 2 * c1 - 4 * s1, 3 * c0 + 1 * s0, 4 * c1 + 2 * s1, 1, 0, 0, 0]
        expectClose(y, expected, tolerance: 1e-6)
    }

    @Test(arguments: isaLevels)
    func attentionHandComputed(isa: CPUBackend.ISA) throws {
        let cpu = CPUBackend(threads: 2, isa: isa)
        // 2 query heads sharing 1 kv head (GQA), d = 8 (AVX2 path) with only the first 2 components non-zero.
        func padded(_ a: Float, _ b: Float) -> [Float] { [a, b, 0, 0, 0, 0, 0, 0] }
        let keys = try cpu.zeros([1, 1, 4, 8], dtype: .f32)
        let values = try cpu.zeros([1, 1, 4, 8], dtype: .f32)
        let newK = try cpu.upload(padded(1, 0) + padded(0, 1), shape: [2, 8])
        let newV = try cpu.upload(padded(1, 2) + padded(3, 4), shape: [2, 8])
        let write = KVWriteParams(batch: 1, tokens: 2, kvHeads: 1, headDim: 8, capacity: 4)
        let positions = try cpu.uploadInt32([0, 1], shape: [2])
        try cpu.writeKV(cache: keys, values: newK, positions: positions, params: write)
        try cpu.writeKV(cache: values, values: newV, positions: positions, params: write)
        let ln3 = Float(log(3.0))
        // query 0 (sees position 0 only) and query 1 (sees 0 and 1); head 1 has a zero query → uniform weights.
        let q = try cpu.upload(padded(0, ln3) + padded(0, 0) + padded(0, ln3) + padded(0, 0), shape: [2, 16])
        let params = AttentionParams(
            batch: 1, queryLength: 2, heads: 2, kvHeads: 1, headDim: 8, capacity: 4, scale: 1)
        let out = try cpu.download(try cpu.attention(q, keys: keys, values: values, positions: positions, params: params))
        // softmax([0, ln3]) = [0.25, 0.75] → 0.25·[1,2] + 0.75·[3,4] = [2.5, 3.5]; uniform → [2, 3]
        let expected = padded(1, 2) + padded(1, 2) + padded(2.5, 3.5) + padded(2, 3)
        expectClose(out, expected, tolerance: 1e-6)
        let outside = try cpu.uploadInt32([3, 4], shape: [2])
        #expect(throws: ComputeError.self) {
            try cpu.attention(q, keys: keys, values: values, positions: outside, params: params)
        }
    }

    /// The AVX2 attention (4-position scoring, vector exp, 64-column V passes) against the portable kernel at head
    /// sizes 24, 64 and 128, two sequences of different lengths, prefill (3 queries) and long contexts.
    @Test func attentionAVX2MatchesPortable() throws {
        guard CPUBackend.ISA.detected == .avx2 else {
            print("SKIPPED attentionAVX2MatchesPortable: this CPU has no AVX2; the portable kernel is tested elsewhere")
            return
        }
        let portable = CPUBackend(threads: 1, isa: .scalar)
        let fast = CPUBackend(threads: 2, isa: .avx2)
        for (d, past) in [(24, [5, 0]), (64, [300, 37]), (128, [129, 2])] {
            let capacity = 310, heads = 4, kvHeads = 2, queries = 3
            let cacheCount = 2 * kvHeads * capacity * d
            let keys = pseudoRandom(cacheCount, seed: UInt64(d)).map { $0 * 3 }
            let values = pseudoRandom(cacheCount, seed: UInt64(d + 1))
            let q = pseudoRandom(2 * queries * heads * d, seed: UInt64(d + 2))
            let params = AttentionParams(
                batch: 2, queryLength: queries, heads: heads, kvHeads: kvHeads, headDim: d, capacity: capacity,
                scale: 1 / Float(d).squareRoot())
            let positions = past.flatMap { start in (0..<queries).map { Int32(start + $0) } }
            var results: [[Float]] = []
            for cpu in [portable, fast] {
                let out = try cpu.attention(
                    cpu.upload(q, shape: [2 * queries, heads * d]),
                    keys: cpu.upload(keys, shape: [2, kvHeads, capacity, d]),
                    values: cpu.upload(values, shape: [2, kvHeads, capacity, d]),
                    positions: cpu.uploadInt32(positions, shape: [2 * queries]), params: params)
                results.append(try cpu.download(out))
            }
            expectClose(results[1], results[0], tolerance: 1e-5, "attention d \(d)")
        }
    }

    /// A bf16 or f16 cache gives the f32-cache result for the same (rounded) keys and values: only storage changes.
    @Test(arguments: [DType.bf16, .f16])
    func halfPrecisionCacheMatchesF32CacheOfRoundedValues(dtype: DType) throws {
        let cpu = CPUBackend(threads: 2)
        let (capacity, d) = (40, 64)
        let shape: Shape = [1, 2, capacity, d]
        let keys = try cpu.zeros(shape, dtype: dtype), values = try cpu.zeros(shape, dtype: dtype)
        let newK = try cpu.upload(pseudoRandom(10 * 2 * d, seed: 21).map { $0 * 3 }, shape: [10, 2 * d])
        let newV = try cpu.upload(pseudoRandom(10 * 2 * d, seed: 22), shape: [10, 2 * d])
        let positions = try cpu.uploadInt32((0..<10).map { Int32($0) }, shape: [10])
        let write = KVWriteParams(batch: 1, tokens: 10, kvHeads: 2, headDim: d, capacity: capacity)
        try cpu.writeKV(cache: keys, values: newK, positions: positions, params: write)
        try cpu.writeKV(cache: values, values: newV, positions: positions, params: write)
        let roundedK = try cpu.upload(cpu.download(keys), shape: shape)  // widened copies of the stored values
        let roundedV = try cpu.upload(cpu.download(values), shape: shape)
        let q = try cpu.upload(pseudoRandom(10 * 4 * d, seed: 23), shape: [10, 4 * d])
        let params = AttentionParams(
            batch: 1, queryLength: 10, heads: 4, kvHeads: 2, headDim: d, capacity: capacity, scale: 0.125)
        let half = try cpu.download(cpu.attention(q, keys: keys, values: values, positions: positions, params: params))
        let full = try cpu.download(
            cpu.attention(q, keys: roundedK, values: roundedV, positions: positions, params: params))
        expectClose(half, full, tolerance: 1e-6, "\(dtype) cache")
        #expect(throws: ComputeError.self) {
            try cpu.attention(q, keys: keys, values: roundedV, positions: positions, params: params)
        }
    }

    @Test func writeKVLayouts() throws {
        let cpu = CPUBackend(threads: 1)
        let cache = try cpu.zeros([1, 2, 3, 2], dtype: .f32)
        // token-major: one token, 2 kv heads × d 2 → heads get [1,2] and [3,4] at position 1
        try cpu.writeKV(
            cache: cache, values: try cpu.upload([1, 2, 3, 4], shape: [1, 4]), positions: cpu.uploadInt32([1], shape: [1]),
            params: .init(batch: 1, tokens: 1, kvHeads: 2, headDim: 2, capacity: 3))
        // head-major (HF layout [1, 2 heads, 2 tokens, 2]) at positions 0...1 would overwrite; write at 1...2 instead
        #expect(try cpu.download(cache) == [0, 0, 1, 2, 0, 0, 0, 0, 3, 4, 0, 0])
        try cpu.writeKV(
            cache: cache, values: try cpu.upload([5, 6, 7, 8, 9, 10, 11, 12], shape: [1, 2, 2, 2]),
            positions: cpu.uploadInt32([1, 2], shape: [2]),
            params: .init(batch: 1, tokens: 2, kvHeads: 2, headDim: 2, capacity: 3, layout: .headMajor))
        #expect(try cpu.download(cache) == [0, 0, 5, 6, 7, 8, 0, 0, 9, 10, 11, 12])
        #expect(throws: ComputeError.self) {
            try cpu.writeKV(
                cache: cache, values: try cpu.upload([1, 2, 3, 4], shape: [1, 4]),
                positions: cpu.uploadInt32([3], shape: [1]),
                params: .init(batch: 1, tokens: 1, kvHeads: 2, headDim: 2, capacity: 3))
        }
    }

    @Test func elementwiseHandComputed() throws {
        let cpu = CPUBackend(threads: 1)
        let x = try cpu.upload([-1, 0, 1, 2], shape: [2, 2])
        // silu(1) = 1/(1+e^-1) = 0.7310586; gelu(1) = 0.5(1+erf(0.7071)) = 0.8413447; sigmoid(-1) = 0.26894142
        expectClose(try cpu.download(try cpu.unary(.silu, x)), [-0.26894142, 0, 0.7310586, 1.7615942], tolerance: 1e-6)
        expectClose(try cpu.download(try cpu.unary(.gelu, x)), [-0.15865526, 0, 0.8413447, 1.9544997], tolerance: 1e-6)
        expectClose(try cpu.download(try cpu.unary(.sigmoid, x)), [0.26894142, 0.5, 0.7310586, 0.8807971], tolerance: 1e-6)
        #expect(try cpu.download(try cpu.unary(.relu, x)) == [0, 0, 1, 2])
        let two = try cpu.upload([2, 2, 2, 2], shape: [2, 2])
        expectClose(try cpu.download(try cpu.siluMul(x, two)), [-0.53788284, 0, 1.4621172, 3.5231884], tolerance: 1e-6)
        let row = try cpu.upload([10, 20], shape: [2])
        #expect(try cpu.download(try cpu.add(x, row)) == [9, 20, 11, 22])
        #expect(try cpu.download(try cpu.mul(x, two)) == [-2, 0, 2, 4])
        #expect(try cpu.download(try cpu.scale(x, by: 0.5)) == [-0.5, 0, 0.5, 1])
        #expect(throws: ComputeError.self) { try cpu.add(x, try cpu.upload([1, 2, 3], shape: [3])) }
    }

    @Test func impossibleAllocationThrowsInsteadOfCrashing() {
        let cpu = CPUBackend(threads: 1)
        #expect(throws: ComputeError.outOfMemory(bytes: 1 << 47)) { try cpu.zeros([1 << 45], dtype: .f32) }
    }

    @Test func argmaxTiesAndAllowedIds() throws {
        let cpu = CPUBackend(threads: 1)
        let x = try cpu.upload([1, 5, 5, 2, 9, 0, 3, 3], shape: [2, 4])
        #expect(try cpu.downloadInt32(try cpu.argmax(x, allowed: nil)) == [1, 0])  // ties → lowest index
        let allowed = try cpu.uploadInt32([3, 2], shape: [2])
        #expect(try cpu.downloadInt32(try cpu.argmax(x, allowed: allowed)) == [2, 2])  // row 1: 3 == 3 → lowest id
        #expect(throws: ComputeError.self) {
            try cpu.argmax(x, allowed: try cpu.uploadInt32([4], shape: [1]))
        }
    }

    @Test func embeddingConcatAndCopy() throws {
        let cpu = CPUBackend(threads: 1)
        let table32 = try cpu.upload([0, 1, 10, 11, 20, 21], shape: [3, 2])
        let table = try cpu.zeros([3, 2], dtype: .bf16)
        try cpu.copy(table32, into: table)
        let ids = try cpu.uploadInt32([2, 0, 2], shape: [3])
        let rows = try cpu.embedding(table, ids: ids)
        #expect(rows.shape == [3, 2])
        #expect(try cpu.download(rows) == [20, 21, 0, 1, 20, 21])
        #expect(throws: ComputeError.self) { try cpu.embedding(table, ids: try cpu.uploadInt32([3], shape: [1])) }
        let joined = try cpu.concat([try table32.rows(2..<3), try table32.rows(0..<1)], axis: 0)
        #expect(try cpu.download(joined) == [20, 21, 0, 1])
        let bits: [UInt16] = [0x3F80, 0xC000]  // bf16 1.0, -2.0
        let aliased = try bits.withUnsafeBytes { raw in
            try cpu.upload(bytes: raw, dtype: .bf16, shape: [2], owner: nil)
        }
        #expect(try cpu.download(aliased) == [1, -2])
    }
}
