import VVCompute

extension BackendSelfTest {
    /// The checks, at Realtime-0.5B shapes (see the type's doc for the bounds).
    static func cases() -> [Case] {
        var random = SelfTestRandom(seed: 0x5EED_CAFE)
        let hidden = 896, ffn = 4864, heads = 14, kvHeads = 2, headDim = 64
        var cases: [Case] = []
        let linears: [(Int, Int, Int, DType, String)] = [
            (2, hidden, ffn, .bf16, "gate/up, CFG pair"), (2, ffn, hidden, .bf16, "down, CFG pair"),
            (64, hidden, hidden, .bf16, "q_proj, prefill"), (2, hidden, 8192, .bf16, "LM head, vocab slice"),
            (2, hidden, 128, .f32, "k_proj"), (2, hidden, 128, .f16, "k_proj"),
        ]
        for (rows, inner, outer, dtype, role) in linears {
            let x = random.values(rows * inner), w = random.values(outer * inner, scale: 0.05)
            let bias = random.values(outer, scale: 0.1)
            cases.append(
                Case(
                    op: "linear \(dtype)", shape: "\(rows)x\(inner) · \(outer)x\(inner) (\(role))", relative: 1e-4,
                    integer: false
                ) { b in
                    try b.linear(
                        b.upload(x, shape: [rows, inner]), weight: selfTestWeight(w, [outer, inner], dtype, on: b),
                        bias: b.upload(bias, shape: [outer]))
                })
        }
        let qkvInput = random.values(2 * hidden)
        let qkv = [hidden, 128, 128].map { (random.values($0 * hidden, scale: 0.05), random.values($0, scale: 0.1)) }
        cases.append(
            Case(op: "linears bf16", shape: "2x\(hidden) · q/k/v 896+128+128 rows", relative: 1e-4, integer: false) {
                b in
                let outputs = try b.linears(
                    b.upload(qkvInput, shape: [2, hidden]),
                    weights: qkv.map { try selfTestWeight($0.0, [$0.1.count, hidden], .bf16, on: b) },
                    biases: qkv.map { try b.upload($0.1, shape: [$0.1.count]) })
                return try b.concat(outputs, axis: 1)
            })
        let table = random.values(8192 * hidden, scale: 0.05)
        let ids: [Int32] = [0, 8191, 17, 17, 4096, 151, 3, 999]
        cases.append(
            Case(op: "embedding bf16", shape: "8 ids · 8192x\(hidden)", relative: 0, integer: false) { b in
                try b.embedding(
                    selfTestWeight(table, [8192, hidden], .bf16, on: b), ids: b.uploadInt32(ids, shape: [8]))
            })
        let residual = random.values(64 * hidden, scale: 1000), gamma = random.values(hidden)
        cases.append(
            Case(op: "rmsNorm", shape: "64x\(hidden), |x| ≤ 1e3", relative: 1e-5, integer: false) { b in
                try b.rmsNorm(
                    b.upload(residual, shape: [64, hidden]), weight: b.upload(gamma, shape: [hidden]), eps: 1e-6)
            })
        cases.append(
            Case(op: "rmsNorm", shape: "64x\(hidden), no weight", relative: 1e-5, integer: false) { b in
                try b.rmsNorm(b.upload(residual, shape: [64, hidden]), weight: nil, eps: 1e-5)
            })
        let queries = random.values(64 * hidden), positions = (0..<64).map { Int32($0 * 127) }
        cases.append(
            Case(op: "rope", shape: "64x\(heads)x\(headDim), positions 0…8001", relative: 1e-4, integer: false) { b in
                try b.rope(
                    b.upload(queries, shape: [64, hidden]), positions: b.uploadInt32(positions, shape: [64]),
                    params: RopeParams(heads: heads, headDim: headDim, theta: 1_000_000))
            })
        cases += attentionCases(&random, heads: heads, kvHeads: kvHeads, headDim: headDim)
        cases += elementwiseCases(&random, hidden: hidden, ffn: ffn)
        cases += convolutionCases(&random)
        return cases
    }

    /// KV writes and attention: CFG decode (two sequences, one token each, deep in the cache) and a prefill.
    private static func attentionCases(_ random: inout SelfTestRandom, heads: Int, kvHeads: Int, headDim: Int) -> [Case]
    {
        var cases: [Case] = []
        let capacity = 1024
        let cacheCount = 2 * kvHeads * capacity * headDim
        let history = random.values(cacheCount, scale: 2), stored = random.values(cacheCount)
        for (batch, length, dtype, layout) in [
            (2, 1, DType.bf16, KVLayout.tokenMajor), (2, 1, .f32, .tokenMajor), (2, 1, .f16, .headMajor),
            (1, 64, .bf16, .tokenMajor),
        ] {
            let rows = batch * length
            let q = random.values(rows * heads * headDim), k = random.values(rows * kvHeads * headDim, scale: 2)
            let slots: [Int32] = length == 1 ? [700, 650] : (0..<64).map { Int32($0 + 300) }
            let shape: Shape = [batch, kvHeads, capacity, headDim]
            let prefix = Array(history.prefix(shape.elementCount)), values = Array(stored.prefix(shape.elementCount))
            let what =
                (length == 1 ? "decode, CFG pair at 700/650" : "prefill of 64 at 300")
                + (layout == .headMajor ? ", head-major input" : "")
            cases.append(
                Case(
                    op: "writeKV + attention \(dtype)",
                    shape: "\(heads)/\(kvHeads) heads x\(headDim), cache \(capacity) (\(what))", relative: 1e-4,
                    integer: false
                ) { b in
                    let keys = try selfTestWeight(prefix, shape, dtype, on: b)
                    let cached = try selfTestWeight(values, shape, dtype, on: b)
                    let positions = try b.uploadInt32(slots, shape: [rows])
                    try b.writeKV(
                        cache: keys, values: b.upload(k, shape: [rows, kvHeads * headDim]), positions: positions,
                        params: KVWriteParams(
                            batch: batch, tokens: length, kvHeads: kvHeads, headDim: headDim, capacity: capacity,
                            layout: layout))
                    return try b.attention(
                        b.upload(q, shape: [rows, heads * headDim]), keys: keys, values: cached, positions: positions,
                        params: AttentionParams(
                            batch: batch, queryLength: length, heads: heads, kvHeads: kvHeads, headDim: headDim,
                            capacity: capacity, scale: 1 / Float(headDim).squareRoot()))
                })
        }
        return cases
    }
}
