import VVCompute
import VVModelFiles

/// The σ-VAE encoder shared by the acoustic and semantic tokenizers: audio → latent mean, one frame per `hop`
/// samples (3200 at 24 kHz: 7.5 Hz).
///
/// Mirrors `TokenizerEncoder` in microsoft/VibeVoice `vibevoice/modular/modular_vibevoice_tokenizer.py`: a k7 stem,
/// then for each stage the strided `SConv1d` (kernel 2r, stride r, the config ratios **reversed**: 2,2,4,5,5,8) and
/// its blocks, the (disabled) last norm and a k7 head to `vae_dim`. Input `[batch, channels, samples]`, output
/// `[batch, ⌈samples/hop⌉, vae_dim]` (upstream `encode` permutes to this).
/// Streaming (ASR's 60 s segments, the 1.5B's 3200-sample chunks): every non-final chunk must be a multiple of `hop`
/// samples; the final chunk may have any length and gets each conv's right padding. Chunked == one-shot.
public struct TokenizerEncoder: Sendable {
    /// `downsample_layers.0.0`: the stem conv, channels → n_filters, k7.
    public let stem: CausalConv1d
    /// `downsample_layers.{1...}.0`: strided convs doubling the channels.
    public let downsampleLayers: [CausalConv1d]
    /// `stages.{i}.{j}`: the blocks of each stage.
    public let stages: [[TokenizerBlock]]
    /// `norm`: present only when `disable_last_norm` is false.
    public let norm: RMSNorm?
    /// `head`: k7 conv to the latent size.
    public let head: CausalConv1d
    /// Samples per output frame.
    public let hop: Int
    /// Latent size.
    public let vaeDim: Int

    /// Binds the encoder under `scope` (`model.acoustic_tokenizer.encoder` or `model.semantic_tokenizer.encoder`).
    public init(config c: SpeechTokenizerConfig, weights scope: WeightScope) throws {
        let ratios = Array(c.encoderRatios.reversed()), depths = c.encoderDepths, filters = c.encoderNFilters
        try c.checkSupported(module: scope.prefix, depths: depths, ratios: ratios)
        let layers = scope.child("downsample_layers")
        stem = try CausalConv1d(layers.child("0.0"), in: c.channels, out: filters, kernel: 7, bias: c.convBias)
        downsampleLayers = try ratios.indices.map { i in
            try CausalConv1d(
                layers.child("\(i + 1).0"), in: filters << i, out: filters << (i + 1), kernel: 2 * ratios[i],
                stride: ratios[i], bias: c.convBias)
        }
        stages = try depths.indices.map { i in
            try (0..<depths[i]).map { j in
                try TokenizerBlock(scope.child("stages.\(i).\(j)"), dim: filters << i, config: c)
            }
        }
        let last = filters << (depths.count - 1)
        norm = c.disableLastNorm ? nil : try RMSNorm(scope.child("norm"), dim: last, eps: c.layernormEps)
        head = try CausalConv1d(scope.child("head"), in: last, out: c.vaeDim, kernel: 7, bias: c.convBias)
        hop = ratios.reduce(1, *)
        vaeDim = c.vaeDim
    }

    /// Frames produced for `samples` samples: `⌈samples/hop⌉`.
    public func frames(samples: Int) -> Int { (samples + hop - 1) / hop }

    /// One-shot: `audio` `[batch, channels, samples]` → mean `[batch, ⌈samples/hop⌉, vaeDim]`. `taps` records each
    /// stage output as `stages.{i}` (`[batch, time, dim]`).
    public func forward(_ audio: Tensor, _ ctx: ComputeContext, taps: Taps? = nil) throws -> Tensor {
        var none: TokenizerStreamingCache?
        return try forward(audio, cache: &none, isFinalChunk: true, ctx, taps: taps)
    }

    /// One streaming chunk (one-shot when `cache` is nil); non-final chunks must be whole multiples of `hop`.
    public func forward(
        _ audio: Tensor, cache: inout TokenizerStreamingCache?, isFinalChunk: Bool, _ ctx: ComputeContext,
        taps: Taps? = nil
    ) throws -> Tensor {
        guard audio.shape.rank == 3, audio.shape[1] == stem.inChannels, audio.shape[2] > 0 else {
            throw ModelError.invalidInput(module: "TokenizerEncoder", reason: "audio \(audio.shape)")
        }
        if cache != nil, !isFinalChunk, audio.shape[2] % hop != 0 {
            throw ModelError.invalidInput(
                module: "TokenizerEncoder", reason: "a non-final chunk of \(audio.shape[2]) samples is not a multiple of \(hop)")
        }
        var x = try stem.forward(audio, cache: &cache, isFinalChunk: isFinalChunk, ctx)
        for (i, blocks) in stages.enumerated() {
            if i > 0 { x = try downsampleLayers[i - 1].forward(x, cache: &cache, isFinalChunk: isFinalChunk, ctx) }
            x = try ctx.transpose(x)  // [batch, time, dim] through the blocks
            for block in blocks { x = try block.forward(x, cache: &cache, isFinalChunk: isFinalChunk, ctx) }
            taps?.record("stages.\(i)", x)
            if let norm, i == stages.count - 1 { x = try norm.forward(x, ctx) }
            x = try ctx.transpose(x)
        }
        return try ctx.transpose(head.forward(x, cache: &cache, isFinalChunk: isFinalChunk, ctx))
    }
}
