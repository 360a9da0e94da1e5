import VVCompute
import VVModelFiles

/// The σ-VAE decoder: 64-d latents at 7.5 Hz → 24 kHz audio, `hop` (3200) samples per latent frame.
///
/// Mirrors `TokenizerDecoder` in microsoft/VibeVoice `vibevoice/modular/modular_vibevoice_tokenizer.py`: a k7 stem to
/// 2048 channels, then for each stage a causal transposed conv (kernel 2r, stride r, ratios 8,5,5,4,2,2 in config
/// order, right-trimmed) and its blocks (depths 8,3,3,3,3,3,3 = the encoder's reversed), the (disabled) last norm
/// and a k7 head to the audio channels. No final activation. Input `[batch, frames, vae_dim]` (upstream `decode`
/// permutes), output `[batch, channels, frames·hop]`.
/// Streaming (`decode(_:cache:)`): any number of frames per call, usually one; the result equals one-shot decoding of
/// the concatenated latents up to float summation order.
public struct TokenizerDecoder: Sendable {
    /// `upsample_layers.0.0`: the stem conv, vae_dim → n_filters·2^(stages−1), k7.
    public let stem: CausalConv1d
    /// `upsample_layers.{1...}.0`: transposed convs halving the channels.
    public let upsampleLayers: [CausalConvTranspose1d]
    /// `stages.{i}.{j}`: the blocks of each stage.
    public let stages: [[TokenizerBlock]]
    /// `norm`: present only when `disable_last_norm` is false.
    public let norm: RMSNorm?
    /// `head`: k7 conv to the audio channels.
    public let head: CausalConv1d
    /// Samples per latent frame.
    public let hop: Int
    /// Latent size.
    public let vaeDim: Int

    /// Binds the decoder under `scope` (`model.acoustic_tokenizer.decoder`).
    public init(config c: SpeechTokenizerConfig, weights scope: WeightScope) throws {
        let ratios = c.decoderRatios, depths = c.resolvedDecoderDepths, filters = c.decoderNFilters
        try c.checkSupported(module: scope.prefix, depths: depths, ratios: ratios)
        let top = depths.count - 1
        let layers = scope.child("upsample_layers")
        stem = try CausalConv1d(layers.child("0.0"), in: c.vaeDim, out: filters << top, kernel: 7, bias: c.convBias)
        upsampleLayers = try ratios.indices.map { i in
            try CausalConvTranspose1d(
                layers.child("\(i + 1).0"), in: filters << (top - i), out: filters << (top - i - 1),
                kernel: 2 * ratios[i], stride: ratios[i], bias: c.convBias)
        }
        stages = try depths.indices.map { i in
            try (0..<depths[i]).map { j in
                try TokenizerBlock(scope.child("stages.\(i).\(j)"), dim: filters << (top - i), config: c)
            }
        }
        norm = c.disableLastNorm ? nil : try RMSNorm(scope.child("norm"), dim: filters, eps: c.layernormEps)
        head = try CausalConv1d(scope.child("head"), in: filters, out: c.channels, kernel: 7, bias: c.convBias)
        hop = ratios.reduce(1, *)
        vaeDim = c.vaeDim
    }

    /// One-shot: `latents` `[batch, frames, vaeDim]` → audio `[batch, channels, frames·hop]`. `taps` records each
    /// stage output as `stages.{i}` (`[batch, time, dim]`).
    public func forward(_ latents: Tensor, _ ctx: ComputeContext, taps: Taps? = nil) throws -> Tensor {
        var none: TokenizerStreamingCache?
        return try forward(latents, cache: &none, ctx, taps: taps)
    }

    /// Streaming: decodes the next `frames` latent frames (usually one) of the stream whose state is `cache`.
    public func decode(_ latents: Tensor, cache: inout TokenizerStreamingCache, _ ctx: ComputeContext) throws -> Tensor {
        var state: TokenizerStreamingCache? = cache
        defer { if let state { cache = state } }
        return try forward(latents, cache: &state, ctx)
    }

    /// One-shot when `cache` is nil, else one streaming step.
    public func forward(
        _ latents: Tensor, cache: inout TokenizerStreamingCache?, _ ctx: ComputeContext, taps: Taps? = nil
    ) throws -> Tensor {
        guard latents.shape.rank == 3, latents.shape[2] == vaeDim, latents.shape[1] > 0 else {
            throw ModelError.invalidInput(module: "TokenizerDecoder", reason: "latents \(latents.shape)")
        }
        // Time-major [batch, time, dim] from the stem to the head: blocks and transposed convs work on rows.
        var x = try ctx.transpose(stem.forward(ctx.transpose(latents), cache: &cache, isFinalChunk: false, ctx))
        for (i, blocks) in stages.enumerated() {
            if i > 0 { x = try upsampleLayers[i - 1].forward(x, cache: &cache, ctx) }
            for block in blocks { x = try block.forward(x, cache: &cache, isFinalChunk: false, ctx) }
            taps?.record("stages.\(i)", x)
        }
        if let norm { x = try norm.forward(x, ctx) }
        return try head.forward(ctx.transpose(x), cache: &cache, isFinalChunk: false, ctx)
    }
}
