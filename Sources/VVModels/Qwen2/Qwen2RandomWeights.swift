import VVModelFiles
import VVPlatform

/// Random-weight Qwen2 checkpoints at any shape, in the real tensor layout (benchmarks and tests: compute cost does
/// not depend on the values).
public enum Qwen2RandomWeights {
    /// Builds the tensors of a stack of `layers` layers under `prefix` (plus `embed_tokens`, final `norm` and a
    /// top-level `lm_head.weight` when asked), in `dtype` for matrices and f32 for norms and biases. Values are
    /// uniform in ±`scale`, norm weights 1, from a fixed-seed generator.
    public static func make(
        config c: Qwen2Config, prefix: String, layers: Int, embedding: Bool, finalNorm: Bool, lmHead: Bool,
        dtype: SafetensorsDType = .bf16, scale: Float = 0.05, seed: UInt64 = 1
    ) -> InMemoryTensors {
        let tensors = InMemoryTensors()
        var generator = seed | 1
        func matrix(_ name: String, _ rows: Int, _ cols: Int) {
            tensors.add(name, dtype: dtype, shape: [rows, cols]) { fill($0, dtype: dtype, scale: scale, &generator) }
        }
        func vector(_ name: String, _ count: Int, one: Bool) {
            tensors.add(name, dtype: .f32, shape: [count]) { buffer in
                if one {
                    for i in 0..<count { buffer.storeBytes(of: Float(1), toByteOffset: 4 * i, as: Float.self) }
                } else {
                    fill(buffer, dtype: .f32, scale: scale, &generator)
                }
            }
        }
        let q = c.numAttentionHeads * c.headDim, kv = c.numKeyValueHeads * c.headDim
        let p = prefix.isEmpty ? "" : prefix + "."
        if embedding { matrix(p + "embed_tokens.weight", c.vocabSize, c.hiddenSize) }
        for layer in 0..<layers {
            let l = p + "layers.\(layer)."
            matrix(l + "self_attn.q_proj.weight", q, c.hiddenSize)
            vector(l + "self_attn.q_proj.bias", q, one: false)
            matrix(l + "self_attn.k_proj.weight", kv, c.hiddenSize)
            vector(l + "self_attn.k_proj.bias", kv, one: false)
            matrix(l + "self_attn.v_proj.weight", kv, c.hiddenSize)
            vector(l + "self_attn.v_proj.bias", kv, one: false)
            matrix(l + "self_attn.o_proj.weight", c.hiddenSize, q)
            matrix(l + "mlp.gate_proj.weight", c.intermediateSize, c.hiddenSize)
            matrix(l + "mlp.up_proj.weight", c.intermediateSize, c.hiddenSize)
            matrix(l + "mlp.down_proj.weight", c.hiddenSize, c.intermediateSize)
            vector(l + "input_layernorm.weight", c.hiddenSize, one: true)
            vector(l + "post_attention_layernorm.weight", c.hiddenSize, one: true)
        }
        if finalNorm { vector(p + "norm.weight", c.hiddenSize, one: true) }
        if lmHead { matrix("lm_head.weight", c.vocabSize, c.hiddenSize) }
        return tensors
    }

    /// Fills `buffer` with uniform values in ±scale (xorshift64), stored as `dtype` (f32, bf16 or f16).
    static func fill(
        _ buffer: UnsafeMutableRawBufferPointer, dtype: SafetensorsDType, scale: Float, _ state: inout UInt64
    ) {
        var s = state
        @inline(__always) func next() -> Float {
            s ^= s << 13
            s ^= s >> 7
            s ^= s << 17
            return (Float(UInt32(truncatingIfNeeded: s >> 40)) * 0x1p-23 - 1) * scale
        }
        switch dtype {
        case .bf16:
            let out = buffer.bindMemory(to: UInt16.self)
            for i in 0..<out.count { out[i] = UInt16(truncatingIfNeeded: next().bitPattern >> 16) }
        case .f16:
            let out = buffer.bindMemory(to: UInt16.self)
            for i in 0..<out.count { out[i] = HalfPrecision.floatToF16(next()) }
        default:
            let out = buffer.bindMemory(to: Float.self)
            for i in 0..<out.count { out[i] = next() }
        }
        state = s
    }
}
