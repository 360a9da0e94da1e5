import VVCompute
import VVModelFiles

/// The tokenizer's causal 1-D convolution with zero padding computed as the reference does, one-shot or streaming.
///
/// Mirrors `SConv1d` (with its `NormConv1d`/`nn.Conv1d`, `norm='none'`, `causal=True`, `pad_mode='constant'`) in
/// microsoft/VibeVoice `vibevoice/modular/modular_vibevoice_tokenizer.py`. Layout `[batch, channels, time]`.
/// - One-shot: `paddingTotal = (kernel-1)·dilation − (stride-1)` zeros on the left and
///   `extra = (⌈(L − kernel + paddingTotal)/stride⌉)·stride + kernel − paddingTotal − L` on the right
///   (`get_extra_padding_for_conv1d`), then a valid convolution: `⌈L/stride⌉` frames for the tokenizer's k = 2s and
///   k7/s1 convs.
/// - Streaming: the cached last `paddingTotal` inputs (zeros at first) are prepended, the final chunk alone gets the
///   right `extra` padding (computed on cache + chunk), and the last `paddingTotal` samples of what was convolved
///   become the new cache. Equal to one-shot when every non-final chunk length is a multiple of the stride.
public struct CausalConv1d: Sendable {
    /// `conv.conv.weight` `[out, in/groups, kernel]` (checkpoint dtype).
    public let weight: Tensor
    /// `conv.conv.bias` `[out]` f32, when the layer has one.
    public let bias: Tensor?
    /// Input channels.
    public let inChannels: Int
    /// Taps.
    public let kernel: Int
    /// Step between output frames.
    public let stride: Int
    /// Spacing between taps.
    public let dilation: Int
    /// Channel groups (`inChannels` for the depthwise mixers).
    public let groups: Int
    /// The streaming cache key (this layer's checkpoint prefix).
    public let cacheKey: String

    /// Binds `conv.conv.weight` (and `conv.conv.bias`) under `scope`, the `SConv1d` module's prefix.
    public init(
        _ scope: WeightScope, in inChannels: Int, out outChannels: Int, kernel: Int, stride: Int = 1,
        dilation: Int = 1, groups: Int = 1, bias: Bool = true
    ) throws {
        guard inChannels > 0, outChannels > 0, kernel > 0, stride > 0, dilation > 0, groups > 0,
            inChannels % groups == 0, outChannels % groups == 0, (kernel - 1) * dilation >= stride - 1
        else {
            throw ModelError.unsupportedConfig(
                module: scope.prefix, reason: "conv \(inChannels)→\(outChannels) k\(kernel) s\(stride) g\(groups)")
        }
        let inner = scope.child("conv.conv")
        weight = try inner.tensor("weight", shape: [outChannels, inChannels / groups, kernel])
        self.bias = bias ? try inner.tensor("bias", shape: [outChannels], dtype: .f32) : nil
        (self.inChannels, self.kernel, self.stride, self.dilation, self.groups) =
            (inChannels, kernel, stride, dilation, groups)
        cacheKey = scope.prefix
    }

    /// Left zero padding of the one-shot form, and the streaming context kept between chunks.
    public var paddingTotal: Int { (kernel - 1) * dilation - (stride - 1) }

    /// Right zero padding for an input of `length` samples (`get_extra_padding_for_conv1d`, integer form).
    public func extraPadding(length: Int) -> Int {
        let span = length - kernel + paddingTotal  // n_frames = span / stride + 1 in the reference
        let frames = span >= 0 ? (span + stride - 1) / stride : -((-span) / stride)  // ⌈span / stride⌉
        return max(0, frames * stride + (kernel - paddingTotal) - length)
    }

    /// One-shot: `x` `[batch, in, L]` → `[batch, out, ⌈L/stride⌉]` (for the tokenizer's kernels).
    public func forward(_ x: Tensor, _ ctx: ComputeContext) throws -> Tensor {
        var none: TokenizerStreamingCache?
        return try forward(x, cache: &none, isFinalChunk: true, ctx)
    }

    /// One-shot when `cache` is nil, else one streaming chunk (`isFinalChunk` adds the right padding).
    public func forward(
        _ x: Tensor, cache: inout TokenizerStreamingCache?, isFinalChunk: Bool, _ ctx: ComputeContext
    ) throws -> Tensor {
        guard x.shape.rank == 3, x.shape[1] == inChannels, x.shape[2] > 0 else {
            throw ModelError.invalidInput(module: cacheKey, reason: "input \(x.shape) for \(inChannels) channels")
        }
        let (batch, length) = (x.shape[0], x.shape[2])
        let context = paddingTotal
        var input = x
        if cache == nil {
            let extra = extraPadding(length: length)
            var parts = [x]
            if context > 0 { parts.insert(try ctx.zeros([batch, inChannels, context]), at: 0) }
            if extra > 0 { parts.append(try ctx.zeros([batch, inChannels, extra])) }
            if parts.count > 1 { input = try ctx.concat(parts, axis: 2) }
        } else {
            if context > 0 {
                let previous = try cache?.states[cacheKey] ?? ctx.zeros([batch, inChannels, context])
                guard previous.shape == [batch, inChannels, context] else {
                    throw ModelError.invalidInput(module: cacheKey, reason: "cache \(previous.shape) for \(x.shape)")
                }
                input = try ctx.concat([previous, x], axis: 2)
            }
            if isFinalChunk {
                let extra = extraPadding(length: input.shape[2])
                if extra > 0 { input = try ctx.concat([input, ctx.zeros([batch, inChannels, extra])], axis: 2) }
            }
            if context > 0 {
                let total = input.shape[2]
                let next = try ctx.slice(input, axis: 2, range: (total - context)..<total)
                try cache?.update(cacheKey, with: next, ctx)
            }
        }
        guard input.shape[2] >= (kernel - 1) * dilation + 1 else {
            throw ModelError.invalidInput(module: cacheKey, reason: "chunk of \(length) too short for k\(kernel)")
        }
        return try ctx.conv1d(
            input, weight: weight, bias: bias,
            params: Conv1dParams(stride: stride, dilation: dilation, groups: groups))
    }
}
