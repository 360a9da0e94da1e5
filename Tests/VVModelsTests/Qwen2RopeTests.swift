import Testing
import VVCompute
import VVComputeCPU

/// RoPE vs transformers `Qwen2RotaryEmbedding` + `apply_rotary_pos_emb` (fixture `rope_trace`) at positions up to
/// 65535, head_dim 64 (0.5B) and 128 (1.5B/7B/ASR), theta 1e6: fp32 max-abs ≤ 1e-4 (inputs are N(0,1)).
struct Qwen2RopeTests {
    @Test(arguments: [64, 128])
    func longPositionsMatchReference(headDim: Int) throws {
        let ctx = ComputeContext(backend: CPUBackend(threads: 1))
        let trace = try Trace("rope_trace.safetensors")
        let positions = try trace.ints("positions")
        let x = try trace.upload("d\(headDim).input", ctx)
        let rotated = try ctx.rope(
            x, positions: ctx.uploadInt32(positions, shape: [positions.count]),
            params: RopeParams(heads: 2, headDim: headDim, theta: 1_000_000))
        expectMatches(try ctx.download(rotated), try trace.floats("d\(headDim).output"), "rope d\(headDim)")
    }
}
