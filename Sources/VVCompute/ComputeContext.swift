/// What model code holds to run ops: the backend, plus anything per-call later (streams, taps).
///
/// The methods forward to the backend with the same contract (see `ComputeBackend`).
public struct ComputeContext: Sendable {
    /// The backend running every op.
    public let backend: any ComputeBackend

    /// Wraps a backend.
    public init(backend: any ComputeBackend) {
        self.backend = backend
    }

    /// See `ComputeBackend.linear`.
    public func linear(_ x: Tensor, weight: Tensor, bias: Tensor?) throws -> Tensor {
        try backend.linear(x, weight: weight, bias: bias)
    }
    /// See `ComputeBackend.linears`.
    public func linears(_ x: Tensor, weights: [Tensor], biases: [Tensor?]) throws -> [Tensor] {
        try backend.linears(x, weights: weights, biases: biases)
    }
    /// See `ComputeBackend.embedding`.
    public func embedding(_ table: Tensor, ids: Tensor) throws -> Tensor { try backend.embedding(table, ids: ids) }
    /// See `ComputeBackend.rmsNorm`.
    public func rmsNorm(_ x: Tensor, weight: Tensor?, eps: Float) throws -> Tensor {
        try backend.rmsNorm(x, weight: weight, eps: eps)
    }
    /// See `ComputeBackend.rope`.
    public func rope(_ x: Tensor, positions: Tensor, params: RopeParams) throws -> Tensor {
        try backend.rope(x, positions: positions, params: params)
    }
    /// See `ComputeBackend.writeKV`.
    public func writeKV(cache: Tensor, values: Tensor, positions: Tensor, params: KVWriteParams) throws {
        try backend.writeKV(cache: cache, values: values, positions: positions, params: params)
    }
    /// See `ComputeBackend.attention`.
    public func attention(_ query: Tensor, keys: Tensor, values: Tensor, positions: Tensor, params: AttentionParams)
        throws -> Tensor
    {
        try backend.attention(query, keys: keys, values: values, positions: positions, params: params)
    }
    /// See `ComputeBackend.siluMul`.
    public func siluMul(_ gate: Tensor, _ up: Tensor) throws -> Tensor { try backend.siluMul(gate, up) }
    /// See `ComputeBackend.unary`.
    public func unary(_ op: UnaryOp, _ x: Tensor) throws -> Tensor { try backend.unary(op, x) }
    /// See `ComputeBackend.add`.
    public func add(_ a: Tensor, _ b: Tensor) throws -> Tensor { try backend.add(a, b) }
    /// See `ComputeBackend.mul`.
    public func mul(_ a: Tensor, _ b: Tensor) throws -> Tensor { try backend.mul(a, b) }
    /// See `ComputeBackend.scale`.
    public func scale(_ x: Tensor, by factor: Float) throws -> Tensor { try backend.scale(x, by: factor) }
    /// See `ComputeBackend.argmax`.
    public func argmax(_ x: Tensor, allowed: Tensor?) throws -> Tensor { try backend.argmax(x, allowed: allowed) }
    /// See `ComputeBackend.copy`.
    public func copy(_ source: Tensor, into destination: Tensor) throws { try backend.copy(source, into: destination) }
    /// See `ComputeBackend.concat` (default: the outermost dimension).
    public func concat(_ tensors: [Tensor], axis: Int = 0) throws -> Tensor { try backend.concat(tensors, axis: axis) }
    /// See `ComputeBackend.slice`.
    public func slice(_ x: Tensor, axis: Int, range: Range<Int>) throws -> Tensor {
        try backend.slice(x, axis: axis, range: range)
    }
    /// See `ComputeBackend.transpose`.
    public func transpose(_ x: Tensor) throws -> Tensor { try backend.transpose(x) }
    /// See `ComputeBackend.conv1d`.
    public func conv1d(_ x: Tensor, weight: Tensor, bias: Tensor?, params: Conv1dParams = .init()) throws -> Tensor {
        try backend.conv1d(x, weight: weight, bias: bias, params: params)
    }
    /// See `ComputeBackend.convTranspose1d`.
    public func convTranspose1d(_ x: Tensor, weight: Tensor, bias: Tensor?, params: ConvTranspose1dParams) throws
        -> Tensor
    {
        try backend.convTranspose1d(x, weight: weight, bias: bias, params: params)
    }
    /// See `ComputeBackend.modulate`.
    public func modulate(_ x: Tensor, shift: Tensor, scale: Tensor) throws -> Tensor {
        try backend.modulate(x, shift: shift, scale: scale)
    }
    /// See `ComputeBackend.timestepEmbedding`.
    public func timestepEmbedding(_ t: Tensor, dim: Int, maxPeriod: Double = 10000) throws -> Tensor {
        try backend.timestepEmbedding(t, dim: dim, maxPeriod: maxPeriod)
    }
    /// See `ComputeBackend.combine`.
    public func combine(_ terms: [Tensor], coefficients: [Float]) throws -> Tensor {
        try backend.combine(terms, coefficients: coefficients)
    }
    /// See `ComputeBackend.upload(_:shape:)`.
    public func upload(_ values: [Float], shape: Shape) throws -> Tensor { try backend.upload(values, shape: shape) }
    /// See `ComputeBackend.uploadInt32(_:shape:)`.
    public func uploadInt32(_ values: [Int32], shape: Shape) throws -> Tensor { try backend.uploadInt32(values, shape: shape) }
    /// See `ComputeBackend.zeros`.
    public func zeros(_ shape: Shape, dtype: DType = .f32) throws -> Tensor { try backend.zeros(shape, dtype: dtype) }
    /// See `ComputeBackend.download`.
    public func download(_ tensor: Tensor) throws -> [Float] { try backend.download(tensor) }
    /// See `ComputeBackend.downloadInt32`.
    public func downloadInt32(_ tensor: Tensor) throws -> [Int32] { try backend.downloadInt32(tensor) }
}
