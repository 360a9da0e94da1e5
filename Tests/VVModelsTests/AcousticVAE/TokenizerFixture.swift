import Foundation
import Testing
import VVCompute
import VVComputeCPU
import VVModelFiles
import VVModels

/// The tiny tokenizers of `vae_tiny_trace.safetensors` (made by `tools/reference/make_vae_fixtures.py`): real ratios,
/// n_filters 2, encoder depths 1-1-1-1-1-1-2 (decoder reversed), acoustic vae_dim 64, semantic 128, weights from
/// `TokenizerRandomWeights` (the script draws the same ones).
struct TinyTokenizers {
    let ctx: ComputeContext
    let acoustic: AcousticTokenizer
    let semantic: SemanticTokenizer
    let trace: Trace
    let isa: CPUBackend.ISA

    static func config(semantic: Bool) throws -> SpeechTokenizerConfig {
        let json = """
            {"vae_dim": \(semantic ? 128 : 64), "encoder_n_filters": 2, "encoder_depths": "1-1-1-1-1-1-2",
             "decoder_n_filters": 2}
            """
        let data = Data(json.utf8)
        return semantic
            ? try JSONDecoder().decode(SemanticTokenizerConfig.self, from: data).value
            : try JSONDecoder().decode(AcousticTokenizerConfig.self, from: data).value
    }

    init(isa: CPUBackend.ISA, threads: Int = 2) throws {
        ctx = ComputeContext(backend: CPUBackend(threads: threads, isa: isa))
        self.isa = isa
        let (acousticConfig, semanticConfig) = (try Self.config(semantic: false), try Self.config(semantic: true))
        let acousticWeights = TokenizerRandomWeights.make(
            config: acousticConfig, prefix: "model.acoustic_tokenizer.", encoder: true, decoder: true)
        var binder = WeightBinder(source: acousticWeights)
        acoustic = try AcousticTokenizer(
            config: acousticConfig, weights: WeightScope(binder: binder, context: ctx).child("model.acoustic_tokenizer"))
        try binder.finish()
        let semanticWeights = TokenizerRandomWeights.make(
            config: semanticConfig, prefix: "model.semantic_tokenizer.", encoder: true, decoder: false)
        binder = WeightBinder(source: semanticWeights)
        semantic = try SemanticTokenizer(
            config: semanticConfig, weights: WeightScope(binder: binder, context: ctx).child("model.semantic_tokenizer"))
        try binder.finish()
        trace = try Trace("vae_tiny_trace.safetensors")
    }

    /// A fixture `[channels, time]` tensor uploaded as `[1, channels, time]`.
    func channelMajor(_ name: String) throws -> Tensor {
        let shape = try trace.shape(name)
        return try ctx.upload(trace.floats(name), shape: Shape([1] + shape))
    }

    /// A time-major `[batch, time, dim]` tensor downloaded in the fixtures' channel-major order.
    func channelMajorValues(_ x: Tensor) throws -> [Float] { try ctx.download(ctx.transpose(x)) }
}

/// Largest absolute difference (for invariants between two Swift paths).
func maxAbsDifference(_ a: [Float], _ b: [Float]) -> Float {
    guard a.count == b.count else { return .infinity }
    return zip(a, b).map { abs($0 - $1) }.max() ?? 0
}
