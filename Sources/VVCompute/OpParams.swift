/// Parameters of rotary position embedding (HF "default" RoPE, non-interleaved rotate-half).
public struct RopeParams: Sendable, Equatable {
    /// Heads packed in each row (`x` is `[rows, heads * headDim]`).
    public var heads: Int
    /// Per-head dimension (even).
    public var headDim: Int
    /// The base θ (`rope_theta`).
    public var theta: Double

    /// Creates RoPE parameters.
    public init(heads: Int, headDim: Int, theta: Double) {
        self.heads = heads
        self.headDim = headDim
        self.theta = theta
    }
}

/// How new keys or values are laid out when written into a KV cache.
public enum KVLayout: Sendable, Equatable {
    /// `[batch * tokens, kvHeads * headDim]`: what the k/v projections produce.
    case tokenMajor
    /// `[batch, kvHeads, tokens, headDim]`: Hugging Face's cache layout (voice presets hold post-RoPE keys like this).
    case headMajor
}

/// How to write new keys or values into a cache of shape `[batch, kvHeads, capacity, headDim]`; where each token
/// goes comes from a positions tensor (on the device, so a captured CUDA graph can replay with new positions).
public struct KVWriteParams: Sendable, Equatable {
    /// Sequences in the cache tensor.
    public var batch: Int
    /// Tokens written per sequence.
    public var tokens: Int
    /// Key/value heads.
    public var kvHeads: Int
    /// Per-head dimension.
    public var headDim: Int
    /// Positions per sequence (the cache's capacity).
    public var capacity: Int
    /// Layout of the values being written.
    public var layout: KVLayout

    /// Creates write parameters.
    public init(
        batch: Int, tokens: Int, kvHeads: Int, headDim: Int, capacity: Int, layout: KVLayout = .tokenMajor
    ) {
        self.batch = batch
        self.tokens = tokens
        self.kvHeads = kvHeads
        self.headDim = headDim
        self.capacity = capacity
        self.layout = layout
    }
}

/// Parameters of causal grouped-query attention over a KV cache.
///
/// Queries are `[batch * queryLength, heads * headDim]`; the caches are `[batch, kvHeads, capacity, headDim]` and
/// already hold the new keys/values. Query row `r` (sequence `r / queryLength`) sees cache positions
/// `0 ... positions[r]`, with `positions` an i32 tensor `[batch * queryLength]` on the device (its own position:
/// everything cached before plus a causal pattern inside the new block), so a captured CUDA graph can replay with new
/// positions. Query head `h` reads kv head `h / (heads / kvHeads)`.
public struct AttentionParams: Sendable, Equatable {
    /// Sequences.
    public var batch: Int
    /// New tokens per sequence.
    public var queryLength: Int
    /// Query heads.
    public var heads: Int
    /// Key/value heads (divides `heads`).
    public var kvHeads: Int
    /// Per-head dimension.
    public var headDim: Int
    /// Positions per sequence in the caches.
    public var capacity: Int
    /// The softmax scale (1/sqrt(headDim) for Qwen2).
    public var scale: Float

    /// Creates attention parameters.
    public init(
        batch: Int, queryLength: Int, heads: Int, kvHeads: Int, headDim: Int, capacity: Int, scale: Float
    ) {
        self.batch = batch
        self.queryLength = queryLength
        self.heads = heads
        self.kvHeads = kvHeads
        self.headDim = headDim
        self.capacity = capacity
        self.scale = scale
    }
}

/// Parameters of `conv1d` (PyTorch `nn.Conv1d` with no implicit padding: callers pad causally or prepend streaming
/// state with `concat`/`pad` along time).
public struct Conv1dParams: Sendable, Equatable {
    /// Step between output frames.
    public var stride: Int
    /// Spacing between kernel taps.
    public var dilation: Int
    /// Channel groups (`inChannels` for depthwise).
    public var groups: Int

    /// Creates conv1d parameters.
    public init(stride: Int = 1, dilation: Int = 1, groups: Int = 1) {
        self.stride = stride
        self.dilation = dilation
        self.groups = groups
    }
}

/// Parameters of `convTranspose1d` (PyTorch `nn.ConvTranspose1d`, no padding: the full `(T-1)·stride + K` frames
/// are returned and callers trim, e.g. the σ-VAE's causal right trim).
public struct ConvTranspose1dParams: Sendable, Equatable {
    /// Upsampling factor.
    public var stride: Int
    /// Channel groups.
    public var groups: Int

    /// Creates transposed-conv parameters.
    public init(stride: Int = 1, groups: Int = 1) {
        self.stride = stride
        self.groups = groups
    }
}
