/// The kernel families: one `.cu` file each under `Sources/VVComputeCUDA/Kernels/`, compiled as one NVRTC program
/// (the shared `common.cuh` prelude first) and loaded as one module.
///
/// `entryPoints` is the list the backend launches, written by hand; the tests check it against the `extern "C"`
/// functions in each file and against the compiled PTX.
public enum CUDAKernelFamily: String, Sendable, CaseIterable {
    /// `linear.cu`: matmul with f32/bf16/f16 weights (warp-per-column for few rows, tiled GEMM for more).
    case linear
    /// `embedding.cu`: row gather.
    case embedding
    /// `norm.cu`: RMSNorm.
    case norm
    /// `rope.cu`: rotary embedding.
    case rope
    /// `kv.cu`: KV cache writes.
    case kv
    /// `attention.cu`: causal GQA attention.
    case attention
    /// `elementwise.cu`: SiLU-mul, unary, add/mul, scale, modulate, axpy, timestep embedding.
    case elementwise
    /// `argmax.cu`: row argmax with optional allowed ids.
    case argmax
    /// `conv.cu`: conv1d and transposed conv1d.
    case conv
    /// `layout.cu`: dtype conversion, strided copies, transpose.
    case layout

    /// The source file name.
    public var fileName: String { rawValue + ".cu" }

    /// The functions the backend looks up in the compiled module.
    public var entryPoints: [String] {
        let weightTypes = ["f32", "bf16", "f16"]
        switch self {
        case .linear: return weightTypes.flatMap { ["vv_linear_\($0)", "vv_gemm_\($0)"] }
        case .embedding: return weightTypes.map { "vv_embedding_\($0)" }
        case .norm: return ["vv_rms_norm_f32"]
        case .rope: return ["vv_rope_f32"]
        case .kv: return weightTypes.map { "vv_write_kv_\($0)" }
        case .attention: return weightTypes.map { "vv_attention_\($0)" }
        case .elementwise:
            return [
                "vv_silu_mul_f32", "vv_unary_f32", "vv_binary_f32", "vv_scale_f32", "vv_modulate_f32", "vv_axpy_f32",
                "vv_timestep_embedding_f32",
            ]
        case .argmax: return ["vv_argmax_f32"]
        case .conv: return weightTypes.flatMap { ["vv_conv1d_\($0)", "vv_conv_transpose1d_\($0)"] }
        case .layout:
            return [
                "vv_convert_f32_to_bf16", "vv_convert_f32_to_f16", "vv_convert_bf16_to_f32", "vv_convert_f16_to_f32",
                "vv_copy_2d_u16", "vv_transpose_f32",
            ]
        }
    }

    /// The complete program NVRTC compiles: the prelude, then the family's file.
    public var source: String { KernelSources.prelude + "\n" + (KernelSources.files[fileName] ?? "") }
}
