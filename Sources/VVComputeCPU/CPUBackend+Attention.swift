import CVVKernels
import VVCompute

extension CPUBackend {
    /// Rotary embedding of `x` `[rows, heads * headDim]` at i32 `positions` `[rows]`.
    public func rope(_ x: Tensor, positions: Tensor, params: RopeParams) throws -> Tensor {
        let op = "rope"
        try OpShapeChecks.rope(x, positions: positions, params: params)
        let input = try floats(x, op)
        let pos = try address(positions, op).assumingMemoryBound(to: Int32.self)
        let (result, output) = try allocate(x.shape)
        vv_rope_f32(
            input, pos, output, Int64(x.shape.rows), Int64(params.heads), Int64(params.headDim), params.theta)
        return result
    }

    /// Reads and range-checks an i32 positions tensor of `count` entries against `capacity`.
    private func cachePositions(_ positions: Tensor, count: Int, capacity: Int, _ op: String) throws -> [Int] {
        guard positions.dtype == .i32, positions.elementCount == count else {
            throw ComputeError.invalidArgument(op: op, reason: "positions \(positions.dtype)\(positions.shape) for \(count) rows")
        }
        let values = try address(positions, op).assumingMemoryBound(to: Int32.self)
        return try (0..<count).map { index in
            let position = Int(values[index])
            guard position >= 0, position < capacity else {
                throw ComputeError.invalidArgument(op: op, reason: "position \(position) outside capacity \(capacity)")
            }
            return position
        }
    }

    /// Writes new keys or values into `cache` `[batch, kvHeads, capacity, headDim]` (f32, or bf16/f16 rounded to
    /// nearest even) in place, at `positions`.
    public func writeKV(cache: Tensor, values: Tensor, positions: Tensor, params p: KVWriteParams) throws {
        let op = "writeKV"
        guard cache.shape == [p.batch, p.kvHeads, p.capacity, p.headDim],
            values.elementCount == p.batch * p.tokens * p.kvHeads * p.headDim
        else {
            throw ComputeError.invalidArgument(op: op, reason: "cache \(cache.shape), values \(values.shape), \(p)")
        }
        let slots = try cachePositions(positions, count: p.batch * p.tokens, capacity: p.capacity, op)
        let destination = try address(cache, op)
        let source = try floats(values, op)
        let d = p.headDim
        let cacheCode = try weightType(cache.dtype, op)
        let elementSize = cache.dtype.byteSize
        for b in 0..<p.batch {
            for h in 0..<p.kvHeads {
                for t in 0..<p.tokens {
                    let to = ((b * p.kvHeads + h) * p.capacity + slots[b * p.tokens + t]) * d
                    let from: Int
                    switch p.layout {
                    case .tokenMajor: from = ((b * p.tokens + t) * p.kvHeads + h) * d
                    case .headMajor: from = ((b * p.kvHeads + h) * p.tokens + t) * d
                    }
                    if cacheCode == VV_WEIGHT_F32 {
                        (destination + to * elementSize).copyMemory(from: source + from, byteCount: d * 4)
                    } else {
                        vv_convert_from_f32(
                            cacheCode, source + from,
                            (destination + to * elementSize).assumingMemoryBound(to: UInt16.self), Int64(d))
                    }
                }
            }
        }
    }

    /// Causal GQA attention over the caches (f32, bf16 or f16; see `AttentionParams`), parallel over (sequence,
    /// kv head) pairs.
    public func attention(_ query: Tensor, keys: Tensor, values: Tensor, positions: Tensor, params p: AttentionParams)
        throws -> Tensor
    {
        let op = "attention"
        let cacheShape: Shape = [p.batch, p.kvHeads, p.capacity, p.headDim]
        guard query.shape.rows == p.batch * p.queryLength, query.shape.last == p.heads * p.headDim,
            keys.shape == cacheShape, values.shape == cacheShape, p.kvHeads > 0, p.heads % p.kvHeads == 0
        else {
            throw ComputeError.invalidArgument(op: op, reason: "query \(query.shape), cache \(keys.shape), \(p)")
        }
        let seen = try cachePositions(positions, count: p.batch * p.queryLength, capacity: p.capacity, op)
        guard keys.dtype == values.dtype else {
            throw ComputeError.invalidArgument(op: op, reason: "keys \(keys.dtype) and values \(values.dtype) differ")
        }
        let q = UnsafePointer(try floats(query, op))
        let k = UnsafeRawPointer(try address(keys, op))
        let v = UnsafeRawPointer(try address(values, op))
        let kvCode = try weightType(keys.dtype, op)
        let elementSize = keys.dtype.byteSize
        let (result, output) = try allocate(query.shape)
        let group = p.heads / p.kvHeads
        let d = p.headDim
        let level = isa.rawValue
        let maxLength = (seen.max() ?? 0) + 1
        // One task per (sequence, kv head): the kernel reads each cached key/value once for the whole head group.
        let tasks = p.batch * p.kvHeads
        let work = tasks * group * p.queryLength * maxLength * d
        let chunks = work < 1 << 15 ? 1 : tasks
        parallel(chunks) { chunk in
            let scratch = UnsafeMutablePointer<Float>.allocate(capacity: max(group * maxLength, 1))
            defer { scratch.deallocate() }
            for task in stride(from: chunk, to: tasks, by: chunks) {
                let b = task / p.kvHeads, kvHead = task % p.kvHeads
                let cacheBase = (b * p.kvHeads + kvHead) * p.capacity * d * elementSize
                for t in 0..<p.queryLength {
                    let row = (b * p.queryLength + t) * p.heads * d + kvHead * group * d
                    vv_attention_group_f32(
                        level, q + row, Int64(group), k + cacheBase, v + cacheBase, kvCode,
                        Int64(seen[b * p.queryLength + t] + 1),
                        Int64(d), Int64(d), p.scale, scratch, output + row)
                }
            }
        }
        return result
    }
}
