import VVCompute

extension CUDABackend {
    /// Rotary embedding (`rope.cu`); θ is rounded to f32 as the CPU backend does.
    public func rope(_ x: Tensor, positions: Tensor, params: RopeParams) throws -> Tensor {
        let op = "rope"
        try OpShapeChecks.rope(x, positions: positions, params: params)
        try makeCurrent()
        let result = try allocate(x.shape)
        guard result.elementCount > 0 else { return result }
        var arguments = KernelArguments()
        arguments.pointer(try floats(x, op))
        arguments.pointer(try address(positions, op))
        arguments.pointer(try address(result, op))
        arguments.int(x.shape.rows)
        arguments.int(params.heads)
        arguments.int(params.headDim)
        arguments.float(Float(params.theta))
        try launch(.rope, "vv_rope_f32", grid: Self.grid(result.elementCount / 2), block: 256, arguments)
        return result
    }

    /// Writes keys or values into the cache in place (`kv.cu`); positions outside the capacity are skipped.
    public func writeKV(cache: Tensor, values: Tensor, positions: Tensor, params p: KVWriteParams) throws {
        let op = "writeKV"
        let count = p.batch * p.tokens * p.kvHeads * p.headDim
        guard cache.shape == [p.batch, p.kvHeads, p.capacity, p.headDim], values.elementCount == count,
            positions.dtype == .i32, positions.elementCount == p.batch * p.tokens
        else {
            throw ComputeError.invalidArgument(
                op: op, reason: "cache \(cache.shape), values \(values.shape), positions \(positions.shape), \(p)")
        }
        try makeCurrent()
        guard count > 0 else { return }
        var arguments = KernelArguments()
        arguments.pointer(try address(cache, op))
        arguments.pointer(try floats(values, op))
        arguments.pointer(try address(positions, op))
        for value in [p.batch, p.tokens, p.kvHeads, p.headDim, p.capacity, p.layout == .headMajor ? 1 : 0] {
            arguments.int(value)
        }
        try launch(.kv, "vv_write_kv_\(try suffix(cache.dtype, op))", grid: Self.grid(count), block: 256, arguments)
    }

    /// Causal GQA attention over the caches (`attention.cu`, online softmax in f32; head size at most 256).
    public func attention(_ query: Tensor, keys: Tensor, values: Tensor, positions: Tensor, params p: AttentionParams)
        throws -> Tensor
    {
        let op = "attention"
        let cacheShape: Shape = [p.batch, p.kvHeads, p.capacity, p.headDim]
        guard query.shape.rows == p.batch * p.queryLength, query.shape.last == p.heads * p.headDim,
            keys.shape == cacheShape, values.shape == cacheShape, p.kvHeads > 0, p.heads % p.kvHeads == 0,
            positions.dtype == .i32, positions.elementCount == p.batch * p.queryLength
        else {
            throw ComputeError.invalidArgument(op: op, reason: "query \(query.shape), cache \(keys.shape), \(p)")
        }
        guard keys.dtype == values.dtype else {
            throw ComputeError.invalidArgument(op: op, reason: "keys \(keys.dtype) and values \(values.dtype) differ")
        }
        guard p.headDim <= 256 else {
            throw ComputeError.invalidArgument(op: op, reason: "head size \(p.headDim) above the kernel's 256")
        }
        try makeCurrent()
        let result = try allocate(query.shape)
        guard result.elementCount > 0 else { return result }
        var arguments = KernelArguments()
        arguments.pointer(try floats(query, op))
        arguments.pointer(try address(keys, op))
        arguments.pointer(try address(values, op))
        arguments.pointer(try address(positions, op))
        arguments.pointer(try address(result, op))
        for value in [p.batch, p.queryLength, p.heads, p.kvHeads, p.headDim, p.capacity] { arguments.int(value) }
        arguments.float(p.scale)
        let tasks = p.batch * p.queryLength * p.heads
        try launch(
            .attention, "vv_attention_\(try suffix(keys.dtype, op))", grid: Self.grid(tasks, block: 1), block: 128,
            arguments)
        return result
    }
}
