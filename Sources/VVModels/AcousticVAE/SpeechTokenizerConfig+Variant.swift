import VVModelFiles

extension SpeechTokenizerConfig {
    /// Throws unless the config is the σ-VAE variant every VibeVoice checkpoint uses and this port implements:
    /// causal, depthwise-conv mixers, RMSNorm with weights, no conv norm, zero (`constant`) padding, one more stage
    /// than resampling ratios.
    func checkSupported(module: String, depths: [Int], ratios: [Int]) throws {
        var problems: [String] = []
        if !causal { problems.append("causal false") }
        if mixerLayer != "depthwise_conv" { problems.append("mixer_layer \(mixerLayer)") }
        if layernorm != "RMSNorm" || !layernormElementwiseAffine { problems.append("layernorm \(layernorm)") }
        if convNorm != "none" { problems.append("conv_norm \(convNorm)") }
        if padMode != "constant" { problems.append("pad_mode \(padMode)") }
        if depths.count != ratios.count + 1 || depths.contains(where: { $0 < 0 }) || ratios.contains(where: { $0 < 1 }) {
            problems.append("depths \(depths) for ratios \(ratios)")
        }
        if channels < 1 || vaeDim < 1 { problems.append("channels \(channels), vae_dim \(vaeDim)") }
        if !problems.isEmpty {
            throw ModelError.unsupportedConfig(module: module, reason: problems.joined(separator: ", "))
        }
    }

    /// Decoder stage depths: `decoder_depths`, or the encoder depths reversed when null (as upstream).
    public var resolvedDecoderDepths: [Int] { decoderDepths ?? encoderDepths.reversed() }

    /// Samples per latent frame: the product of the ratios (3200 for every VibeVoice checkpoint).
    public var hopLength: Int { encoderRatios.reduce(1, *) }
}
