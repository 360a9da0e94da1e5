import VVCompute

/// A test double: forwards every op to `base` except that `rmsNorm` shifts one output element by `rmsNormError`
/// and `transpose` throws when `transposeThrows` is set, so the self-test's failure rows can be checked.
final class FaultyBackend: ComputeBackend, @unchecked Sendable {
    let base: any ComputeBackend
    let rmsNormError: Float
    let transposeThrows: Bool
    let name = "faulty"

    init(base: any ComputeBackend, rmsNormError: Float = 0, transposeThrows: Bool = false) {
        self.base = base
        self.rmsNormError = rmsNormError
        self.transposeThrows = transposeThrows
    }

    func zeros(_ shape: Shape, dtype: DType) throws -> Tensor { try base.zeros(shape, dtype: dtype) }
    func upload(_ values: [Float], shape: Shape) throws -> Tensor { try base.upload(values, shape: shape) }
    func uploadInt32(_ values: [Int32], shape: Shape) throws -> Tensor { try base.uploadInt32(values, shape: shape) }
    func upload(bytes: UnsafeRawBufferPointer, dtype: DType, shape: Shape, owner: AnyObject?) throws -> Tensor {
        try base.upload(bytes: bytes, dtype: dtype, shape: shape, owner: owner)
    }
    func download(_ tensor: Tensor) throws -> [Float] { try base.download(tensor) }
    func downloadInt32(_ tensor: Tensor) throws -> [Int32] { try base.downloadInt32(tensor) }
    func synchronize() throws { try base.synchronize() }
    func linear(_ x: Tensor, weight: Tensor, bias: Tensor?) throws -> Tensor {
        try base.linear(x, weight: weight, bias: bias)
    }
    func linears(_ x: Tensor, weights: [Tensor], biases: [Tensor?]) throws -> [Tensor] {
        try base.linears(x, weights: weights, biases: biases)
    }
    func embedding(_ table: Tensor, ids: Tensor) throws -> Tensor { try base.embedding(table, ids: ids) }
    func rmsNorm(_ x: Tensor, weight: Tensor?, eps: Float) throws -> Tensor {
        let exact = try base.rmsNorm(x, weight: weight, eps: eps)
        guard rmsNormError != 0 else { return exact }
        var values = try base.download(exact)
        values[values.count / 2] += rmsNormError
        return try base.upload(values, shape: exact.shape)
    }
    func rope(_ x: Tensor, positions: Tensor, params: RopeParams) throws -> Tensor {
        try base.rope(x, positions: positions, params: params)
    }
    func writeKV(cache: Tensor, values: Tensor, positions: Tensor, params: KVWriteParams) throws {
        try base.writeKV(cache: cache, values: values, positions: positions, params: params)
    }
    func attention(_ query: Tensor, keys: Tensor, values: Tensor, positions: Tensor, params: AttentionParams) throws
        -> Tensor
    {
        try base.attention(query, keys: keys, values: values, positions: positions, params: params)
    }
    func siluMul(_ gate: Tensor, _ up: Tensor) throws -> Tensor { try base.siluMul(gate, up) }
    func unary(_ op: UnaryOp, _ x: Tensor) throws -> Tensor { try base.unary(op, x) }
    func add(_ a: Tensor, _ b: Tensor) throws -> Tensor { try base.add(a, b) }
    func mul(_ a: Tensor, _ b: Tensor) throws -> Tensor { try base.mul(a, b) }
    func scale(_ x: Tensor, by factor: Float) throws -> Tensor { try base.scale(x, by: factor) }
    func argmax(_ x: Tensor, allowed: Tensor?) throws -> Tensor { try base.argmax(x, allowed: allowed) }
    func copy(_ source: Tensor, into destination: Tensor) throws { try base.copy(source, into: destination) }
    func concat(_ tensors: [Tensor], axis: Int) throws -> Tensor { try base.concat(tensors, axis: axis) }
    func slice(_ x: Tensor, axis: Int, range: Range<Int>) throws -> Tensor {
        try base.slice(x, axis: axis, range: range)
    }
    func transpose(_ x: Tensor) throws -> Tensor {
        if transposeThrows { throw ComputeError.invalidArgument(op: "transpose", reason: "injected failure") }
        return try base.transpose(x)
    }
    func conv1d(_ x: Tensor, weight: Tensor, bias: Tensor?, params: Conv1dParams) throws -> Tensor {
        try base.conv1d(x, weight: weight, bias: bias, params: params)
    }
    func convTranspose1d(_ x: Tensor, weight: Tensor, bias: Tensor?, params: ConvTranspose1dParams) throws -> Tensor {
        try base.convTranspose1d(x, weight: weight, bias: bias, params: params)
    }
    func modulate(_ x: Tensor, shift: Tensor, scale: Tensor) throws -> Tensor {
        try base.modulate(x, shift: shift, scale: scale)
    }
    func combine(_ terms: [Tensor], coefficients: [Float]) throws -> Tensor {
        try base.combine(terms, coefficients: coefficients)
    }
    func timestepEmbedding(_ t: Tensor, dim: Int, maxPeriod: Double) throws -> Tensor {
        try base.timestepEmbedding(t, dim: dim, maxPeriod: maxPeriod)
    }
}
