import VVModelFiles

/// Random-weight diffusion heads at any shape, in the real tensor layout (benchmarks and tests: compute cost does
/// not depend on the values).
public enum DiffusionHeadRandomWeights {
    /// Builds every tensor of a `VibeVoiceDiffusionHead` under `prefix` (e.g. `model.prediction_head`): matrices in
    /// `dtype`, uniform in ±`scale` from a fixed-seed generator; norm weights 1 (f32).
    public static func make(
        config c: DiffusionHeadConfig, prefix: String, dtype: SafetensorsDType = .bf16, scale: Float = 0.05,
        seed: UInt64 = 3
    ) -> InMemoryTensors {
        let tensors = InMemoryTensors()
        var generator = seed | 1
        let p = prefix.isEmpty ? "" : prefix + "."
        let h = c.hiddenSize, f = c.ffnSize
        func matrix(_ name: String, _ rows: Int, _ cols: Int) {
            tensors.add(p + name, dtype: dtype, shape: [rows, cols]) {
                Qwen2RandomWeights.fill($0, dtype: dtype, scale: scale, &generator)
            }
        }
        matrix("noisy_images_proj.weight", h, c.latentSize)
        matrix("cond_proj.weight", h, h)
        matrix("t_embedder.mlp.0.weight", h, TimestepEmbedder.frequencyEmbeddingSize)
        matrix("t_embedder.mlp.2.weight", h, h)
        for layer in 0..<c.headLayers {
            let l = "layers.\(layer)."
            matrix(l + "ffn.gate_proj.weight", f, h)
            matrix(l + "ffn.up_proj.weight", f, h)
            matrix(l + "ffn.down_proj.weight", h, f)
            matrix(l + "adaLN_modulation.1.weight", 3 * h, h)
            tensors.add(p + l + "norm.weight", floats: [Float](repeating: 1, count: h), shape: [h])
        }
        matrix("final_layer.linear.weight", c.latentSize, h)
        matrix("final_layer.adaLN_modulation.1.weight", 2 * h, h)
        return tensors
    }
}
