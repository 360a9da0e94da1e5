/// The operations models need, on device buffers. Models see only this protocol (through `ComputeContext`).
///
/// Contract for every conforming backend:
/// - Tensors are dense and row-major. Activations are f32; weights (`linear`, `embedding`) may be f32, bf16 or f16;
///   ids, positions and argmax results are i32. "Rows" means all but the innermost dimension.
/// - Ops validate shapes and dtypes at entry and throw `ComputeError.invalidArgument` rather than trap.
/// - Ops are ordered: each sees the results of the ops called before it on the same backend. Only `download*` and
///   `synchronize` block until device work is done (explicit synchronisation points); model code must not read
///   tensor memory any other way.
/// - Ops returning a tensor allocate it; `writeKV` and `copy` write in place into an existing tensor.
/// - A backend is shared by concurrent requests; calls from one request are made from one task at a time.
/// - Every op must match the CPU backend (the fp32 reference) within the tolerance of its precision
///   (see DESIGN.md "Compute").
public protocol ComputeBackend: AnyObject, Sendable {
    /// A short name for logs (`"cpu"`, `"cuda:0"`).
    var name: String { get }

    /// A zero-filled tensor.
    func zeros(_ shape: Shape, dtype: DType) throws -> Tensor
    /// Copies host floats into a new f32 tensor.
    func upload(_ values: [Float], shape: Shape) throws -> Tensor
    /// Copies host integers into a new i32 tensor.
    func uploadInt32(_ values: [Int32], shape: Shape) throws -> Tensor
    /// Makes a tensor from raw little-endian host bytes (weights). When `owner` is given the bytes are immutable and
    /// stay valid while `owner` lives, and the backend may alias them instead of copying (the CPU backend does, so
    /// memory-mapped weights are used in place).
    func upload(bytes: UnsafeRawBufferPointer, dtype: DType, shape: Shape, owner: AnyObject?) throws -> Tensor
    /// Converts to f32 and copies to the host (synchronisation point).
    func download(_ tensor: Tensor) throws -> [Float]
    /// Copies an i32 tensor to the host (synchronisation point).
    func downloadInt32(_ tensor: Tensor) throws -> [Int32]
    /// Waits for all queued work (synchronisation point).
    func synchronize() throws
    /// A backend for one request's ops, sharing this one's weights and device: on CUDA a stream (and memory
    /// cache) of its own, so concurrent requests overlap and one request's work can be captured as a graph; the
    /// CPU backend returns itself. Tensors of either may be used with the other once the work that made them is
    /// complete (weights are uploaded before requests start).
    func makeRequestBackend() throws -> any ComputeBackend

    /// `y = x · Wᵀ + bias`: `x` `[rows, in]` f32, `weight` `[out, in]` (f32/bf16/f16), `bias` `[out]` f32 or nil;
    /// returns `[rows, out]` f32.
    func linear(_ x: Tensor, weight: Tensor, bias: Tensor?) throws -> Tensor
    /// Several `linear`s of the same input in one launch (q/k/v, gate/up): `weights[i]` with `biases[i]` (same
    /// count; nil for none). Returns one output per weight. Semantically identical to separate `linear` calls.
    func linears(_ x: Tensor, weights: [Tensor], biases: [Tensor?]) throws -> [Tensor]
    /// Gathers rows: `table` `[vocab, dim]` (f32/bf16/f16), `ids` i32 of any shape; returns `ids.shape + [dim]` f32.
    func embedding(_ table: Tensor, ids: Tensor) throws -> Tensor
    /// RMSNorm over the last dimension: `w · x / sqrt(mean(x²) + eps)` (no weight when `weight` is nil).
    func rmsNorm(_ x: Tensor, weight: Tensor?, eps: Float) throws -> Tensor
    /// Rotary embedding: `x` `[rows, heads * headDim]`, `positions` i32 `[rows]`; returns the rotated copy.
    func rope(_ x: Tensor, positions: Tensor, params: RopeParams) throws -> Tensor
    /// Writes f32 keys or values into `cache` `[batch, kvHeads, capacity, headDim]` (f32, or bf16/f16: rounded to
    /// nearest even) in place: token `t` of sequence `b` goes to position `positions[b * tokens + t]`
    /// (i32 `[batch * tokens]`, each below the capacity).
    func writeKV(cache: Tensor, values: Tensor, positions: Tensor, params: KVWriteParams) throws
    /// Causal GQA attention of f32 `query` over the caches (f32, bf16 or f16, both the same), query row `r` seeing
    /// positions `0 ... positions[r]`; softmax and accumulation in f32; returns `[batch * queryLength, heads * headDim]`.
    func attention(_ query: Tensor, keys: Tensor, values: Tensor, positions: Tensor, params: AttentionParams) throws
        -> Tensor
    /// `silu(gate) * up`, elementwise (same shapes).
    func siluMul(_ gate: Tensor, _ up: Tensor) throws -> Tensor
    /// A unary elementwise function.
    func unary(_ op: UnaryOp, _ x: Tensor) throws -> Tensor
    /// `a + b` (same shapes, or `b` a single row broadcast over the rows of `a`).
    func add(_ a: Tensor, _ b: Tensor) throws -> Tensor
    /// `a * b` (same shapes, or `b` a single row broadcast over the rows of `a`).
    func mul(_ a: Tensor, _ b: Tensor) throws -> Tensor
    /// `x * factor`.
    func scale(_ x: Tensor, by factor: Float) throws -> Tensor
    /// Index of the largest value in each row of `x` `[rows, n]` (lowest index on ties, like `torch.argmax`).
    /// With `allowed` (i32 ids), only those columns compete. Returns i32 `[rows]`.
    func argmax(_ x: Tensor, allowed: Tensor?) throws -> Tensor
    /// Copies `source` into `destination` in place (same element count; dtype converted when they differ).
    func copy(_ source: Tensor, into destination: Tensor) throws
    /// Concatenates along dimension `axis` (all other dimensions and the dtypes equal).
    func concat(_ tensors: [Tensor], axis: Int) throws -> Tensor
    /// Elements `range` of dimension `axis` (a copy; any dtype).
    func slice(_ x: Tensor, axis: Int, range: Range<Int>) throws -> Tensor
    /// Swaps the last two dimensions of f32 `x` (rank ≥ 2, leading dimensions batched): `[..., m, n]` →
    /// `[..., n, m]`, a copy (the σ-VAE moves between `[batch, channels, time]` for convolutions and
    /// `[batch, time, channels]` for norms and linears).
    func transpose(_ x: Tensor) throws -> Tensor
    /// 1-D convolution, `x` `[batch, inChannels, time]` f32, `weight` `[outChannels, inChannels/groups, kernel]`
    /// (f32/bf16/f16), `bias` `[outChannels]` f32 or nil; no padding. Returns `[batch, outChannels, outTime]` with
    /// `outTime = (time - dilation·(kernel-1) - 1) / stride + 1`.
    func conv1d(_ x: Tensor, weight: Tensor, bias: Tensor?, params: Conv1dParams) throws -> Tensor
    /// Transposed 1-D convolution, `x` `[batch, inChannels, time]`, `weight` `[inChannels, outChannels/groups,
    /// kernel]`, `bias` `[outChannels]` or nil; returns all `[batch, outChannels, (time-1)·stride + kernel]` frames.
    func convTranspose1d(_ x: Tensor, weight: Tensor, bias: Tensor?, params: ConvTranspose1dParams) throws -> Tensor
    /// adaLN modulation `x · (1 + scale) + shift` (shift/scale the shape of `x`, or one row broadcast).
    func modulate(_ x: Tensor, shift: Tensor, scale: Tensor) throws -> Tensor
    /// `Σ coefficients[i] · terms[i]` elementwise (same shapes): the DPM-Solver update and CFG combine.
    func combine(_ terms: [Tensor], coefficients: [Float]) throws -> Tensor
    /// Sinusoidal embedding of f32 timesteps `t` `[n]` → `[n, dim]`, `[cos, sin]` order, as the diffusion head's
    /// `TimestepEmbedder.timestep_embedding` (frequencies `exp(-ln(maxPeriod)·i/half)` in f32).
    func timestepEmbedding(_ t: Tensor, dim: Int, maxPeriod: Double) throws -> Tensor
}

extension ComputeBackend {
    /// Backends without per-request state serve every request themselves.
    public func makeRequestBackend() throws -> any ComputeBackend { self }
}

/// Elementwise functions offered by `ComputeBackend.unary`.
public enum UnaryOp: String, Sendable, CaseIterable {
    /// `x · sigmoid(x)`.
    case silu
    /// Exact GELU: `x/2 · (1 + erf(x/√2))`.
    case gelu
    /// `1 / (1 + e^-x)`.
    case sigmoid
    /// `max(x, 0)`.
    case relu
}
