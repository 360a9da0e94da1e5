import VVCompute

extension CUDABackend {
    /// 1-D convolution, no padding (`conv.cu`, one thread per output).
    public func conv1d(_ x: Tensor, weight: Tensor, bias: Tensor?, params p: Conv1dParams) throws -> Tensor {
        let op = "conv1d"
        let s = try OpShapeChecks.conv1d(x, weight: weight, bias: bias, params: p)
        let (batch, cin, time, cout, kernel, outTime) =
            (s.batch, s.inputChannels, s.time, s.outputChannels, s.kernel, s.outputTime)
        try makeCurrent()
        let result = try allocate([batch, cout, outTime])
        guard result.elementCount > 0 else { return result }
        var arguments = KernelArguments()
        arguments.pointer(try floats(x, op))
        arguments.pointer(try address(weight, op))
        arguments.pointer(try bias.map { try floats($0, op) } ?? 0)
        arguments.pointer(try address(result, op))
        for value in [batch, cin, time, cout, kernel, outTime, p.stride, p.dilation, p.groups] { arguments.int(value) }
        try launch(
            .conv, "vv_conv1d_\(try suffix(weight.dtype, op))", grid: Self.grid(result.elementCount), block: 256,
            arguments)
        return result
    }

    /// Transposed 1-D convolution, every frame (`conv.cu`, one thread per output).
    public func convTranspose1d(_ x: Tensor, weight: Tensor, bias: Tensor?, params p: ConvTranspose1dParams) throws
        -> Tensor
    {
        let op = "convTranspose1d"
        let s = try OpShapeChecks.convTranspose1d(x, weight: weight, bias: bias, params: p)
        let (batch, cin, time, cout, kernel) = (s.batch, s.inputChannels, s.time, s.outputChannels, s.kernel)
        try makeCurrent()
        let result = try allocate([batch, cout, (time - 1) * p.stride + kernel])
        guard result.elementCount > 0 else { return result }
        var arguments = KernelArguments()
        arguments.pointer(try floats(x, op))
        arguments.pointer(try address(weight, op))
        arguments.pointer(try bias.map { try floats($0, op) } ?? 0)
        arguments.pointer(try address(result, op))
        for value in [batch, cin, time, cout, kernel, p.stride, p.groups] { arguments.int(value) }
        try launch(
            .conv, "vv_conv_transpose1d_\(try suffix(weight.dtype, op))", grid: Self.grid(result.elementCount),
            block: 256, arguments)
        return result
    }

    /// Concatenates along `axis` (one strided copy per input).
    public func concat(_ tensors: [Tensor], axis: Int) throws -> Tensor {
        let op = "concat"
        let dims = try OpShapeChecks.concat(tensors, axis: axis)
        let first = tensors[0]
        try makeCurrent()
        let result = try allocate(Shape(dims), dtype: first.dtype)
        let outer = dims[..<axis].reduce(1, *), inner = dims[(axis + 1)...].reduce(1, *) * first.dtype.byteSize
        let destination = try address(result, op)
        var offset = 0
        for tensor in tensors {
            let piece = tensor.shape[axis] * inner
            try copy2D(
                to: destination + UInt64(offset), pitch: dims[axis] * inner, from: try address(tensor, op),
                pitch: piece, width: piece, rows: outer)
            offset += piece
        }
        return result
    }

    /// Elements `range` of dimension `axis`, copied.
    public func slice(_ x: Tensor, axis: Int, range: Range<Int>) throws -> Tensor {
        let op = "slice"
        let dims = try OpShapeChecks.slice(x, axis: axis, range: range)
        try makeCurrent()
        let result = try allocate(Shape(dims), dtype: x.dtype)
        let outer = dims[..<axis].reduce(1, *), inner = dims[(axis + 1)...].reduce(1, *) * x.dtype.byteSize
        try copy2D(
            to: try address(result, op), pitch: range.count * inner,
            from: try address(x, op) + UInt64(range.lowerBound * inner), pitch: x.shape[axis] * inner,
            width: range.count * inner, rows: outer)
        return result
    }

    /// Swaps the last two dimensions of f32 `x`.
    public func transpose(_ x: Tensor) throws -> Tensor {
        let op = "transpose"
        guard x.shape.rank >= 2 else { throw ComputeError.invalidArgument(op: op, reason: "rank of \(x.shape) < 2") }
        var dims = x.shape.dims
        let (m, n) = (dims[dims.count - 2], dims[dims.count - 1])
        dims.swapAt(dims.count - 2, dims.count - 1)
        try makeCurrent()
        let result = try allocate(Shape(dims))
        guard result.elementCount > 0 else { return result }
        var arguments = KernelArguments()
        arguments.pointer(try floats(x, op))
        arguments.pointer(try address(result, op))
        arguments.int(x.elementCount / max(m * n, 1))
        arguments.int(m)
        arguments.int(n)
        try launch(.layout, "vv_transpose_f32", grid: Self.grid(result.elementCount), block: 256, arguments)
        return result
    }

    /// `rows` rows of `width` bytes between pitched device ranges (all multiples of 2 bytes).
    private func copy2D(
        to destination: UInt64, pitch dstPitch: Int, from source: UInt64, pitch srcPitch: Int, width: Int, rows: Int
    )
        throws
    {
        guard width > 0, rows > 0 else { return }
        var arguments = KernelArguments()
        arguments.pointer(destination)
        arguments.int64(dstPitch / 2)
        arguments.pointer(source)
        arguments.int64(srcPitch / 2)
        arguments.int64(width / 2)
        arguments.int64(rows)
        try launch(.layout, "vv_copy_2d_u16", grid: Self.grid(rows * width / 2), block: 256, arguments)
    }
}
