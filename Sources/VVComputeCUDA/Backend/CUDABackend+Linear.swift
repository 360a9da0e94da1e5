import VVCompute

extension CUDABackend {
    /// `y = x · Wᵀ + bias` (`linear.cu`): the warp-per-column kernel up to 4 rows, the tiled GEMM above.
    public func linear(_ x: Tensor, weight: Tensor, bias: Tensor?) throws -> Tensor {
        let op = "linear"
        guard x.shape.rank >= 1, weight.shape.rank == 2, x.shape.last == weight.shape[1] else {
            throw ComputeError.invalidArgument(op: op, reason: "x \(x.shape) does not fit weight \(weight.shape)")
        }
        let rows = x.shape.rows, inner = weight.shape[1], outer = weight.shape[0]
        if let bias, bias.shape != [outer] {
            throw ComputeError.invalidArgument(op: op, reason: "bias \(bias.shape) for \(outer) outputs")
        }
        try makeCurrent()
        var dims = x.shape.dims
        dims[dims.count - 1] = outer
        let result = try allocate(Shape(dims))
        guard result.elementCount > 0 else { return result }
        var arguments = KernelArguments()
        arguments.pointer(try floats(x, op))
        arguments.pointer(try address(weight, op))
        arguments.pointer(try bias.map { try floats($0, op) } ?? 0)
        arguments.pointer(try address(result, op))
        arguments.int(rows)
        arguments.int(inner)
        arguments.int(outer)
        let dtype = try suffix(weight.dtype, op)
        if rows > 4 {  // tiled GEMM: each 64x64 tile reads its weights once for 64 rows
            let tiles = ((rows + 63) / 64) * ((outer + 63) / 64)
            try launch(.linear, "vv_gemm_\(dtype)", grid: Self.grid(tiles, block: 1), block: 256, arguments)
        } else {  // warp per output column, up to 4 rows per pass: decode reads every weight once
            let warpsPerBlock = 8
            try launch(
                .linear, "vv_linear_\(dtype)", grid: Self.grid(outer, block: warpsPerBlock), block: 32 * warpsPerBlock,
                arguments)
        }
        return result
    }

    /// One `linear` per weight (separate launches; a fused multi-weight kernel is future work).
    public func linears(_ x: Tensor, weights: [Tensor], biases: [Tensor?]) throws -> [Tensor] {
        guard weights.count == biases.count, !weights.isEmpty else {
            throw ComputeError.invalidArgument(op: "linear", reason: "\(weights.count) weights, \(biases.count) biases")
        }
        return try zip(weights, biases).map { try linear(x, weight: $0, bias: $1) }
    }

    /// Gathers rows of `table` for i32 `ids`, widening to f32 (ids are not range-checked: see the type's doc).
    public func embedding(_ table: Tensor, ids: Tensor) throws -> Tensor {
        let op = "embedding"
        guard table.shape.rank == 2, ids.dtype == .i32 else {
            throw ComputeError.invalidArgument(op: op, reason: "table \(table.shape) ids \(ids.dtype)\(ids.shape)")
        }
        try makeCurrent()
        let (vocab, dim) = (table.shape[0], table.shape[1])
        let result = try allocate(Shape(ids.shape.dims + [dim]))
        guard result.elementCount > 0 else { return result }
        var arguments = KernelArguments()
        arguments.pointer(try address(table, op))
        arguments.pointer(try address(ids, op))
        arguments.pointer(try address(result, op))
        arguments.int(ids.elementCount)
        arguments.int(dim)
        arguments.int(vocab)
        try launch(
            .embedding, "vv_embedding_\(try suffix(table.dtype, op))", grid: Self.grid(result.elementCount), block: 256,
            arguments)
        return result
    }
}
