import VVModelFiles
import VVPlatform

/// Seeded random σ-VAE / semantic tokenizer checkpoints in the real tensor layout, reproducible bit for bit by
/// `tools/reference/make_vae_fixtures.py` (so fixtures of full-size modules need no stored weights), and used by the
/// benchmarks at the real shapes.
///
/// Element `i` of the tensor named `N` is `offset + scale·u` in fp32 with `u = (splitmix64(fnv1a64(N) + i) >> 40)·2⁻²³
/// − 1`, a 24-bit uniform in [−1, 1). Conv and linear weights get `scale = √(3/fan_in)` (unit variance through the
/// stack; `√(3/(2·in))` for the transposed convs), biases ±0.02, norm weights 1 ± 0.1, layer scales ±0.2.
public enum TokenizerRandomWeights {
    /// Builds the encoder and/or decoder tensors of `config` under `prefix` (e.g. `"model.acoustic_tokenizer."`),
    /// conv and linear weights stored as `dtype` (f32, bf16 or f16), everything else f32.
    public static func make(
        config c: SpeechTokenizerConfig, prefix: String, encoder: Bool, decoder: Bool, dtype: SafetensorsDType = .f32
    ) -> InMemoryTensors {
        let tensors = InMemoryTensors()
        func add(_ name: String, _ shape: [Int]) {
            let full = prefix + name
            let (scale, offset) = role(full, shape)
            let stored: SafetensorsDType = shape.count > 1 ? dtype : .f32
            tensors.add(full, dtype: stored, shape: shape) { buffer in
                fill(buffer, name: full, dtype: stored, scale: scale, offset: offset)
            }
        }
        func conv(_ name: String, _ out: Int, _ inPerGroup: Int, _ kernel: Int) {
            add(name + ".conv.conv.weight", [out, inPerGroup, kernel])
            if c.convBias { add(name + ".conv.conv.bias", [out]) }
        }
        func block(_ name: String, _ dim: Int) {
            add(name + ".norm.weight", [dim])
            conv(name + ".mixer.conv", dim, 1, 7)
            add(name + ".ffn_norm.weight", [dim])
            add(name + ".ffn.linear1.weight", [4 * dim, dim])
            add(name + ".ffn.linear2.weight", [dim, 4 * dim])
            if c.convBias {
                add(name + ".ffn.linear1.bias", [4 * dim])
                add(name + ".ffn.linear2.bias", [dim])
            }
            if c.layerScaleInitValue > 0 {
                add(name + ".gamma", [dim])
                add(name + ".ffn_gamma", [dim])
            }
        }
        if encoder {
            let ratios = Array(c.encoderRatios.reversed()), depths = c.encoderDepths, f = c.encoderNFilters
            conv("encoder.downsample_layers.0.0", f, c.channels, 7)
            for (i, r) in ratios.enumerated() { conv("encoder.downsample_layers.\(i + 1).0", f << (i + 1), f << i, 2 * r) }
            for (i, depth) in depths.enumerated() {
                for j in 0..<depth { block("encoder.stages.\(i).\(j)", f << i) }
            }
            if !c.disableLastNorm { add("encoder.norm.weight", [f << (depths.count - 1)]) }
            conv("encoder.head", c.vaeDim, f << (depths.count - 1), 7)
        }
        if decoder {
            let depths = c.resolvedDecoderDepths, f = c.decoderNFilters, top = depths.count - 1
            conv("decoder.upsample_layers.0.0", f << top, c.vaeDim, 7)
            for (i, r) in c.decoderRatios.enumerated() {
                let name = "decoder.upsample_layers.\(i + 1).0.convtr.convtr"
                add(name + ".weight", [f << (top - i), f << (top - i - 1), 2 * r])
                if c.convBias { add(name + ".bias", [f << (top - i - 1)]) }
            }
            for (i, depth) in depths.enumerated() {
                for j in 0..<depth { block("decoder.stages.\(i).\(j)", f << (top - i)) }
            }
            if !c.disableLastNorm { add("decoder.norm.weight", [f]) }
            conv("decoder.head", c.channels, f, 7)
        }
        return tensors
    }

    /// `count` values `offset + scale·u` of the generator stream `name` (test inputs: audio, latents).
    public static func values(_ name: String, count: Int, scale: Float, offset: Float = 0) -> [Float] {
        let seed = fnv1a64(name)
        return (0..<count).map { i in
            let scaled = scale * uniform(seed, UInt64(i))
            return offset + scaled
        }
    }

    /// (scale, offset) of a checkpoint tensor from its role.
    static func role(_ name: String, _ shape: [Int]) -> (Float, Float) {
        if name.hasSuffix("norm.weight") { return (0.1, 1) }
        if name.hasSuffix("gamma") { return (0.2, 0) }
        if name.hasSuffix("bias") { return (0.02, 0) }
        if name.contains(".convtr.") { return (Float((3.0 / Double(shape[0] * 2)).squareRoot()), 0) }
        let fanIn = shape[1] * (shape.count == 3 ? shape[2] : 1)
        return (Float((3.0 / Double(fanIn)).squareRoot()), 0)
    }

    private static func fill(
        _ buffer: UnsafeMutableRawBufferPointer, name: String, dtype: SafetensorsDType, scale: Float, offset: Float
    ) {
        let seed = fnv1a64(name)
        switch dtype {
        case .bf16, .f16:
            let out = buffer.bindMemory(to: UInt16.self)
            for i in 0..<out.count {
                let scaled = scale * uniform(seed, UInt64(i))
                let value = offset + scaled
                out[i] = dtype == .bf16 ? HalfPrecision.floatToBF16(value) : HalfPrecision.floatToF16(value)
            }
        default:
            let out = buffer.bindMemory(to: Float.self)
            for i in 0..<out.count {
                let scaled = scale * uniform(seed, UInt64(i))
                out[i] = offset + scaled
            }
        }
    }

    /// The 24-bit uniform in [−1, 1) at `index` of stream `seed`.
    @inline(__always)
    static func uniform(_ seed: UInt64, _ index: UInt64) -> Float {
        var z = seed &+ index &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return Float(z >> 40) * 0x1p-23 - 1
    }

    /// FNV-1a, 64-bit, of the UTF-8 bytes of `text`.
    static func fnv1a64(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        return hash
    }
}
