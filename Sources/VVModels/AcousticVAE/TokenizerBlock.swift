import VVCompute
import VVModelFiles

/// One ConvNeXt-style tokenizer block: RMSNorm → causal depthwise conv → layer scale → residual, then
/// RMSNorm → FFN → layer scale → residual.
///
/// Mirrors `Block1D` (`mixer_layer='depthwise_conv'`, `layernorm='RMSNorm'`, drop path off) as run by
/// `TokenizerEncoder.forward_features` / `TokenizerDecoder.forward_features` in microsoft/VibeVoice
/// `vibevoice/modular/modular_vibevoice_tokenizer.py`. Activations here are time-major `[batch, time, dim]` (norms,
/// linears and layer scales act per time step); only the depthwise conv runs channel-major, between two transposes.
/// Its streaming cache holds the last 6 *normed* inputs of the mixer, as upstream's does.
public struct TokenizerBlock: Sendable {
    /// `norm` (ConvRMSNorm over channels).
    public let norm: RMSNorm
    /// `mixer.conv`: the depthwise `SConv1d` (k7, groups = dim).
    public let mixer: CausalConv1d
    /// `gamma` `[dim]` f32: layer scale of the mixer branch (absent when `layer_scale_init_value` is 0).
    public let gamma: Tensor?
    /// `ffn_norm`.
    public let ffnNorm: RMSNorm
    /// `ffn`.
    public let ffn: TokenizerFFN
    /// `ffn_gamma` `[dim]` f32: layer scale of the FFN branch.
    public let ffnGamma: Tensor?

    /// Binds the block under `scope` (`...stages.{i}.{j}`).
    public init(_ scope: WeightScope, dim: Int, config c: SpeechTokenizerConfig) throws {
        norm = try RMSNorm(scope.child("norm"), dim: dim, eps: c.layernormEps)
        mixer = try CausalConv1d(scope.child("mixer.conv"), in: dim, out: dim, kernel: 7, groups: dim, bias: c.convBias)
        let scaled = c.layerScaleInitValue > 0
        gamma = scaled ? try scope.tensor("gamma", shape: [dim], dtype: .f32) : nil
        ffnNorm = try RMSNorm(scope.child("ffn_norm"), dim: dim, eps: c.layernormEps)
        ffn = try TokenizerFFN(scope.child("ffn"), dim: dim, hidden: 4 * dim, bias: c.convBias)
        ffnGamma = scaled ? try scope.tensor("ffn_gamma", shape: [dim], dtype: .f32) : nil
    }

    /// Applies the block to `x` `[batch, time, dim]`: one-shot when `cache` is nil, else one streaming chunk.
    public func forward(
        _ x: Tensor, cache: inout TokenizerStreamingCache?, isFinalChunk: Bool, _ ctx: ComputeContext
    ) throws -> Tensor {
        var h = try ctx.transpose(norm.forward(x, ctx))
        h = try ctx.transpose(mixer.forward(h, cache: &cache, isFinalChunk: isFinalChunk, ctx))
        if let gamma { h = try ctx.mul(h, gamma) }
        let mixed = try ctx.add(x, h)
        h = try ffn.forward(ffnNorm.forward(mixed, ctx), ctx)
        if let ffnGamma { h = try ctx.mul(h, ffnGamma) }
        return try ctx.add(mixed, h)
    }
}
