import VVCompute
import VVModelFiles

/// The decoder's causal transposed 1-D convolution: trimmed on the right only, one-shot or streaming.
///
/// Mirrors `SConvTranspose1d` (`NormConvTranspose1d`/`nn.ConvTranspose1d`, `causal=True`, `trim_right_ratio=1`) in
/// microsoft/VibeVoice `vibevoice/modular/modular_vibevoice_tokenizer.py`. Layout `[batch, channels, time]`; the
/// weight is `[in, out, kernel]` (PyTorch's transposed layout). The raw output has `(T−1)·stride + kernel` samples;
/// all `kernel − stride` extra samples are cut from the right, leaving `T·stride`.
/// Streaming keeps the last `⌈kernel/stride⌉ − 1` input frames (one for k = 2s; upstream keeps `kernel − 1`, of
/// which only these reach the new output), runs on history + chunk and returns the chunk's `T·stride` samples: zero
/// history contributes exact zeros, so the first chunk equals upstream's no-cache path.
public struct CausalConvTranspose1d: Sendable {
    /// `convtr.convtr.weight` `[in, out, kernel]` (checkpoint dtype).
    public let weight: Tensor
    /// `convtr.convtr.bias` `[out]` f32, when the layer has one.
    public let bias: Tensor?
    /// Input channels.
    public let inChannels: Int
    /// Taps.
    public let kernel: Int
    /// Upsampling factor.
    public let stride: Int
    /// The streaming cache key (this layer's checkpoint prefix).
    public let cacheKey: String

    /// Binds `convtr.convtr.weight` (and `.bias`) under `scope`, the `SConvTranspose1d` module's prefix.
    public init(
        _ scope: WeightScope, in inChannels: Int, out outChannels: Int, kernel: Int, stride: Int, bias: Bool = true
    ) throws {
        guard inChannels > 0, outChannels > 0, stride > 0, kernel >= stride else {
            throw ModelError.unsupportedConfig(
                module: scope.prefix, reason: "transposed conv \(inChannels)→\(outChannels) k\(kernel) s\(stride)")
        }
        let inner = scope.child("convtr.convtr")
        weight = try inner.tensor("weight", shape: [inChannels, outChannels, kernel])
        self.bias = bias ? try inner.tensor("bias", shape: [outChannels], dtype: .f32) : nil
        (self.inChannels, self.kernel, self.stride) = (inChannels, kernel, stride)
        cacheKey = scope.prefix
    }

    /// Input frames of history a streaming chunk needs.
    public var historyFrames: Int { (kernel + stride - 1) / stride - 1 }

    /// One-shot: `x` `[batch, in, T]` → `[batch, out, T·stride]`.
    public func forward(_ x: Tensor, _ ctx: ComputeContext) throws -> Tensor {
        var none: TokenizerStreamingCache?
        return try forward(x, cache: &none, ctx)
    }

    /// One-shot when `cache` is nil, else one streaming chunk; returns `[batch, out, T·stride]` either way.
    public func forward(_ x: Tensor, cache: inout TokenizerStreamingCache?, _ ctx: ComputeContext) throws -> Tensor {
        guard x.shape.rank == 3, x.shape[1] == inChannels, x.shape[2] > 0 else {
            throw ModelError.invalidInput(module: cacheKey, reason: "input \(x.shape) for \(inChannels) channels")
        }
        let (batch, frames) = (x.shape[0], x.shape[2])
        let params = ConvTranspose1dParams(stride: stride)
        guard cache != nil, historyFrames > 0 else {
            let full = try ctx.convTranspose1d(x, weight: weight, bias: bias, params: params)
            return try ctx.slice(full, axis: 2, range: 0..<(frames * stride))
        }
        let history = try cache?.states[cacheKey] ?? ctx.zeros([batch, inChannels, historyFrames])
        guard history.shape == [batch, inChannels, historyFrames] else {
            throw ModelError.invalidInput(module: cacheKey, reason: "cache \(history.shape) for \(x.shape)")
        }
        let input = try ctx.concat([history, x], axis: 2)
        let total = input.shape[2]
        cache?.states[cacheKey] = try ctx.slice(input, axis: 2, range: (total - historyFrames)..<total)
        let full = try ctx.convTranspose1d(input, weight: weight, bias: bias, params: params)
        return try ctx.slice(full, axis: 2, range: (historyFrames * stride)..<(total * stride))
    }
}
