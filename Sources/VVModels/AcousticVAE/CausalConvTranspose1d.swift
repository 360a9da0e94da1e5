import VVCompute
import VVModelFiles

/// The decoder's causal transposed 1-D convolution (kernel 2·stride): trimmed on the right only, one-shot or
/// streaming, computed as one matmul plus an overlap-add.
///
/// Mirrors `SConvTranspose1d` (`NormConvTranspose1d`/`nn.ConvTranspose1d`, `causal=True`, `trim_right_ratio=1`) in
/// microsoft/VibeVoice `vibevoice/modular/modular_vibevoice_tokenizer.py`: the raw output of T input frames has
/// `(T+1)·stride` samples and the last `kernel − stride = stride` are cut, leaving `T·stride`.
///
/// With kernel = 2s, input frame t writes output samples `t·s ..< t·s + 2s`: its first half `A[t] = x[t]·W[:, :, :s]`
/// and its second half `B[t] = x[t]·W[:, :, s:]`, so output frame t is `A[t] + B[t−1] + bias` and the right trim drops
/// exactly `B[T−1]`. The weight (`[in, out, 2s]` in the checkpoint) is repacked once at load into the two
/// `[out·s, in]` matrices, so A and B are one `linears` call on time-major input. Streaming carries `B[T−1]` (bias
/// excluded) into the next chunk, which is what upstream's cached input frame contributes; a zero carry equals
/// upstream's first chunk and its `set_to_zero`. Layout: time-major `[batch, time, channels]` in and out.
public struct CausalConvTranspose1d: Sendable {
    /// `convtr.convtr.weight[:, :, :stride]` repacked as `[out·stride, in]` (row `o·stride + j`), checkpoint dtype.
    public let firstHalf: Tensor
    /// `convtr.convtr.weight[:, :, stride:]` repacked the same way.
    public let secondHalf: Tensor
    /// `convtr.convtr.bias` repeated `stride` times per channel (`[out·stride]` f32), when the layer has a bias.
    public let expandedBias: Tensor?
    /// Input channels.
    public let inChannels: Int
    /// Output channels.
    public let outChannels: Int
    /// Upsampling factor (the kernel is twice this).
    public let stride: Int
    /// The streaming cache key (this layer's checkpoint prefix).
    public let cacheKey: String

    /// Binds and repacks `convtr.convtr.weight` (and `.bias`) under `scope`, the `SConvTranspose1d` module's prefix.
    public init(
        _ scope: WeightScope, in inChannels: Int, out outChannels: Int, kernel: Int, stride: Int, bias: Bool = true
    ) throws {
        guard inChannels > 0, outChannels > 0, stride > 0, kernel == 2 * stride else {
            throw ModelError.unsupportedConfig(
                module: scope.prefix, reason: "transposed conv \(inChannels)→\(outChannels) k\(kernel) s\(stride)")
        }
        let inner = scope.child("convtr.convtr")
        let ctx = scope.context
        if let view = scope.binder.take(inner.qualified("weight"), shape: [inChannels, outChannels, kernel]) {
            (firstHalf, secondHalf) = try Self.repack(view, in: inChannels, out: outChannels, stride: stride, ctx)
        } else {
            (firstHalf, secondHalf) = (try ctx.zeros([0]), try ctx.zeros([0]))  // recorded by the binder
        }
        if bias {
            let values = try ctx.download(inner.tensor("bias", shape: [outChannels], dtype: .f32))
            let expanded = values.flatMap { Array(repeating: $0, count: stride) }
            expandedBias = values.count == outChannels ? try ctx.upload(expanded, shape: [outChannels * stride]) : nil
        } else {
            expandedBias = nil
        }
        (self.inChannels, self.outChannels, self.stride) = (inChannels, outChannels, stride)
        cacheKey = scope.prefix
    }

    /// One-shot: `x` `[batch, T, in]` → `[batch, T·stride, out]`.
    public func forward(_ x: Tensor, _ ctx: ComputeContext) throws -> Tensor {
        var none: TokenizerStreamingCache?
        return try forward(x, cache: &none, ctx)
    }

    /// One-shot when `cache` is nil, else one streaming chunk; returns `[batch, T·stride, out]` either way.
    public func forward(_ x: Tensor, cache: inout TokenizerStreamingCache?, _ ctx: ComputeContext) throws -> Tensor {
        guard x.shape.rank == 3, x.shape[2] == inChannels, x.shape[1] > 0 else {
            throw ModelError.invalidInput(module: cacheKey, reason: "input \(x.shape) for \(inChannels) channels")
        }
        let (batch, frames, width) = (x.shape[0], x.shape[1], outChannels * stride)
        let halves = try ctx.linears(x, weights: [firstHalf, secondHalf], biases: [expandedBias, nil])
        let carry = try cache?.states[cacheKey] ?? ctx.zeros([batch, 1, width])
        guard carry.shape == [batch, 1, width] else {
            throw ModelError.invalidInput(module: cacheKey, reason: "cache \(carry.shape) for \(x.shape)")
        }
        let shifted =
            frames == 1
            ? carry : try ctx.concat([carry, ctx.slice(halves[1], axis: 1, range: 0..<(frames - 1))], axis: 1)
        let frameMajor = try ctx.add(halves[0], shifted).reshaped([batch * frames, outChannels, stride])
        if cache != nil {  // after the add: with one frame, `shifted` is the carry being replaced
            try cache?.update(cacheKey, with: ctx.slice(halves[1], axis: 1, range: (frames - 1)..<frames), ctx)
        }
        return try ctx.transpose(frameMajor).reshaped([batch, frames * stride, outChannels])
    }

    /// Splits `[in, out, 2s]` into the two `[out·s, in]` halves (element `(o·s + j, ci)` = `W[ci, o, half·s + j]`),
    /// keeping the stored dtype (bf16/f16/f32).
    private static func repack(_ view: TensorView, in cin: Int, out cout: Int, stride s: Int, _ ctx: ComputeContext)
        throws -> (Tensor, Tensor)
    {
        let dtype: DType
        switch view.dtype {
        case .bf16: dtype = .bf16
        case .f16: dtype = .f16
        case .f32: dtype = .f32
        default:
            throw ModelError.unsupportedConfig(module: view.name, reason: "weight dtype \(view.dtype)")
        }
        let size = dtype.byteSize, count = cin * cout * s
        var halves: [Tensor] = []
        for half in 0..<2 {
            let packed = UnsafeMutableRawBufferPointer.allocate(byteCount: count * size, alignment: 16)
            defer { packed.deallocate() }
            guard let source = view.bytes.baseAddress, let target = packed.baseAddress else {
                throw ModelError.invalidInput(module: view.name, reason: "empty weight")
            }
            for ci in 0..<cin {
                for o in 0..<cout {
                    let from = source + ((ci * cout + o) * 2 * s + half * s) * size
                    for j in 0..<s {
                        (target + ((o * s + j) * cin + ci) * size).copyMemory(from: from + j * size, byteCount: size)
                    }
                }
            }
            halves.append(
                try ctx.backend.upload(
                    bytes: UnsafeRawBufferPointer(packed), dtype: dtype, shape: [cout * s, cin], owner: nil))
        }
        return (halves[0], halves[1])
    }
}
