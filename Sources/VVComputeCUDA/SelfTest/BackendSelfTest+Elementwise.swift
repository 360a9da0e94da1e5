import VVCompute

extension BackendSelfTest {
    /// Elementwise ops, the diffusion head's pieces, argmax and layout ops.
    static func elementwiseCases(_ random: inout SelfTestRandom, hidden: Int, ffn: Int) -> [Case] {
        var cases: [Case] = []
        let gate = random.values(2 * ffn, scale: 6), up = random.values(2 * ffn, scale: 2)
        cases.append(
            Case(op: "siluMul", shape: "2x\(ffn)", relative: 1e-5, integer: false) { b in
                try b.siluMul(b.upload(gate, shape: [2, ffn]), b.upload(up, shape: [2, ffn]))
            })
        for op in UnaryOp.allCases {
            cases.append(
                Case(op: "unary \(op)", shape: "2x2688", relative: 1e-5, integer: false) { b in
                    try b.unary(op, b.upload(Array(gate.prefix(2 * 2688)), shape: [2, 2688]))
                })
        }
        let a = random.values(64 * hidden, scale: 100), c = random.values(64 * hidden), row = random.values(hidden)
        cases.append(
            Case(op: "add", shape: "64x\(hidden)", relative: 1e-5, integer: false) { b in
                try b.add(b.upload(a, shape: [64, hidden]), b.upload(c, shape: [64, hidden]))
            })
        cases.append(
            Case(op: "add broadcast", shape: "64x\(hidden) + \(hidden)", relative: 1e-5, integer: false) { b in
                try b.add(b.upload(a, shape: [64, hidden]), b.upload(row, shape: [hidden]))
            })
        cases.append(
            Case(op: "mul", shape: "64x\(hidden)", relative: 1e-5, integer: false) { b in
                try b.mul(b.upload(a, shape: [64, hidden]), b.upload(c, shape: [64, hidden]))
            })
        cases.append(
            Case(op: "scale", shape: "64x\(hidden)", relative: 1e-5, integer: false) { b in
                try b.scale(b.upload(a, shape: [64, hidden]), by: -0.7071)
            })
        let x2 = Array(c.prefix(2 * hidden)), shift = random.values(hidden), scale = random.values(hidden)
        cases.append(
            Case(op: "modulate", shape: "2x\(hidden), one row of shift/scale", relative: 1e-5, integer: false) { b in
                try b.modulate(
                    b.upload(x2, shape: [2, hidden]), shift: b.upload(shift, shape: [hidden]),
                    scale: b.upload(scale, shape: [hidden]))
            })
        let terms = (0..<3).map { _ in random.values(2 * 64) }
        cases.append(
            Case(op: "combine", shape: "3 terms of 2x64 (DPM-Solver++ update)", relative: 1e-5, integer: false) { b in
                try b.combine(terms.map { try b.upload($0, shape: [2, 64]) }, coefficients: [1.3, -0.45, 0.15])
            })
        cases.append(
            Case(op: "timestepEmbedding", shape: "4 timesteps x256", relative: 1e-4, integer: false) { b in
                try b.timestepEmbedding(b.upload([999, 666, 333.5, 0], shape: [4]), dim: 256, maxPeriod: 10000)
            })
        let logits = random.values(2 * 8192, scale: 20)
        cases.append(
            Case(op: "argmax", shape: "2x8192", relative: 0, integer: true) { b in
                try b.upload(
                    b.downloadInt32(b.argmax(b.upload(logits, shape: [2, 8192]), allowed: nil)).map(Float.init),
                    shape: [2])
            })
        let allowed: [Int32] = [151, 8000, 4, 4095, 77]
        cases.append(
            Case(op: "argmax allowed", shape: "2x8192 over 5 ids", relative: 0, integer: true) { b in
                try b.upload(
                    b.downloadInt32(
                        b.argmax(b.upload(logits, shape: [2, 8192]), allowed: b.uploadInt32(allowed, shape: [5]))
                    )
                    .map(Float.init), shape: [2])
            })
        let planes = random.values(2 * 512 * 24)
        cases.append(
            Case(op: "concat + slice", shape: "2x512x24 ++ 2x512x24, time 10..<40", relative: 0, integer: false) { b in
                let x = try b.upload(planes, shape: [2, 512, 24])
                return try b.slice(b.concat([x, b.scale(x, by: 2)], axis: 2), axis: 2, range: 10..<40)
            })
        cases.append(
            Case(op: "transpose", shape: "2x512x24", relative: 0, integer: false) { b in
                try b.transpose(b.upload(planes, shape: [2, 512, 24]))
            })
        cases.append(
            Case(op: "copy f32→bf16→f32", shape: "2x512x24", relative: 0, integer: false) { b in
                let half = try selfTestWeight(planes, [2, 512, 24], .bf16, on: b)
                let back = try b.zeros([2, 512, 24], dtype: .f32)
                try b.copy(half, into: back)
                return back
            })
        return cases
    }

    /// σ-VAE decoder convolutions (stem, a depthwise block mixer, an upsampler, the head).
    static func convolutionCases(_ random: inout SelfTestRandom) -> [Case] {
        var cases: [Case] = []
        let stemIn = random.values(64 * 13), stem = random.values(2048 * 64 * 7, scale: 0.05),
            stemBias = random.values(2048)
        cases.append(
            Case(op: "conv1d bf16", shape: "1x64x13 → 2048, k7 (decoder stem)", relative: 1e-4, integer: false) { b in
                try b.conv1d(
                    b.upload(stemIn, shape: [1, 64, 13]), weight: selfTestWeight(stem, [2048, 64, 7], .bf16, on: b),
                    bias: b.upload(stemBias, shape: [2048]), params: Conv1dParams())
            })
        let depthIn = random.values(512 * 46), depth = random.values(512 * 7, scale: 0.3)
        cases.append(
            Case(op: "conv1d depthwise bf16", shape: "1x512x46, k7, groups 512", relative: 1e-4, integer: false) { b in
                try b.conv1d(
                    b.upload(depthIn, shape: [1, 512, 46]), weight: selfTestWeight(depth, [512, 1, 7], .bf16, on: b),
                    bias: nil, params: Conv1dParams(groups: 512))
            })
        let upIn = random.values(512 * 8), up = random.values(512 * 256 * 10, scale: 0.05), upBias = random.values(256)
        cases.append(
            Case(op: "convTranspose1d bf16", shape: "1x512x8 → 256, k10 s5", relative: 1e-4, integer: false) { b in
                try b.convTranspose1d(
                    b.upload(upIn, shape: [1, 512, 8]), weight: selfTestWeight(up, [512, 256, 10], .bf16, on: b),
                    bias: b.upload(upBias, shape: [256]), params: ConvTranspose1dParams(stride: 5))
            })
        let headIn = random.values(32 * 3206), head = random.values(32 * 7, scale: 0.2)
        cases.append(
            Case(op: "conv1d f32", shape: "1x32x3206 → 1, k7 (decoder head)", relative: 1e-4, integer: false) { b in
                try b.conv1d(
                    b.upload(headIn, shape: [1, 32, 3206]), weight: b.upload(head, shape: [1, 32, 7]), bias: nil,
                    params: Conv1dParams())
            })
        return cases
    }
}
