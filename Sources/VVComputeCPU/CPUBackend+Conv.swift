import CVVKernels
import VVCompute

extension CPUBackend {
    /// 1-D convolution (no padding), parallel over (batch, output channel) rows.
    public func conv1d(_ x: Tensor, weight: Tensor, bias: Tensor?, params p: Conv1dParams) throws -> Tensor {
        let op = "conv1d"
        let s = try OpShapeChecks.conv1d(x, weight: weight, bias: bias, params: p)
        let (batch, cin, time, cout, kernel, outTime) =
            (s.batch, s.inputChannels, s.time, s.outputChannels, s.kernel, s.outputTime)
        if p.groups == 1 {  // dense: unfold the patches and reuse the matmul kernels (weight as [cout, cin·kernel])
            let (columns, columnPointer) = try allocate([batch * outTime, cin * kernel])
            vv_im2col_f32(
                try floats(x, op), columnPointer, Int64(batch), Int64(cin), Int64(time), Int64(kernel), Int64(outTime),
                Int64(p.stride), Int64(p.dilation))
            let product = try linear(columns, weight: weight.reshaped([cout, cin * kernel]), bias: bias)
            let (result, output) = try allocate([batch, cout, outTime])
            vv_transpose_batched_f32(try floats(product, op), output, Int64(batch), Int64(outTime), Int64(cout))
            return result
        }
        let input = UnsafePointer(try floats(x, op))
        let weights = UnsafeRawPointer(try address(weight, op))
        let code = try weightType(weight.dtype, op)
        let biasPointer = try bias.map { UnsafePointer(try floats($0, op)) }
        let (result, output) = try allocate([batch, cout, outTime])
        let rows = batch * cout
        let chunks = rows * cin / p.groups * kernel * outTime < 1 << 16 ? 1 : min(rows, threadCount * 4)
        parallel(chunks) { chunk in
            vv_conv1d_f32(
                code, input, weights, biasPointer, output, Int64(cin), Int64(time), Int64(cout), Int64(kernel),
                Int64(outTime), Int64(p.stride), Int64(p.dilation), Int64(p.groups), Int64(chunk * rows / chunks),
                Int64((chunk + 1) * rows / chunks))
        }
        return result
    }

    /// Transposed 1-D convolution (all frames), parallel over (batch, output channel) rows.
    public func convTranspose1d(_ x: Tensor, weight: Tensor, bias: Tensor?, params p: ConvTranspose1dParams) throws
        -> Tensor
    {
        let op = "convTranspose1d"
        let s = try OpShapeChecks.convTranspose1d(x, weight: weight, bias: bias, params: p)
        let (batch, cin, time, cout, kernel) = (s.batch, s.inputChannels, s.time, s.outputChannels, s.kernel)
        let input = UnsafePointer(try floats(x, op))
        let weights = UnsafeRawPointer(try address(weight, op))
        let code = try weightType(weight.dtype, op)
        let biasPointer = try bias.map { UnsafePointer(try floats($0, op)) }
        let (result, output) = try allocate([batch, cout, (time - 1) * p.stride + kernel])
        if p.groups == 1 {  // dense: weight rows streamed once per frame, split over output channels
            let chunks = cin * cout * kernel * time * batch < 1 << 16 ? 1 : min(cout, threadCount * 4)
            let level = isa.rawValue
            parallel(chunks) { chunk in
                vv_conv_transpose1d_dense_f32(
                    level, code, input, weights, biasPointer, output, Int64(batch), Int64(cin), Int64(time),
                    Int64(cout), Int64(kernel), Int64(p.stride), Int64(chunk * cout / chunks),
                    Int64((chunk + 1) * cout / chunks))
            }
            return result
        }
        let rows = batch * cout
        let chunks = rows * cin / p.groups * kernel * time < 1 << 16 ? 1 : min(rows, threadCount * 4)
        parallel(chunks) { chunk in
            vv_conv_transpose1d_f32(
                code, input, weights, biasPointer, output, Int64(cin), Int64(time), Int64(cout), Int64(kernel),
                Int64(p.stride), Int64(p.groups), Int64(chunk * rows / chunks), Int64((chunk + 1) * rows / chunks))
        }
        return result
    }

    /// Concatenates along `axis`.
    public func concat(_ tensors: [Tensor], axis: Int) throws -> Tensor {
        let op = "concat"
        let dims = try OpShapeChecks.concat(tensors, axis: axis)
        let first = tensors[0]
        let result = try zeros(Shape(dims), dtype: first.dtype)
        let outer = dims[..<axis].reduce(1, *), inner = dims[(axis + 1)...].reduce(1, *) * first.dtype.byteSize
        let destination = try address(result, op)
        var offset = 0
        for tensor in tensors {
            let source = try address(tensor, op)
            let piece = tensor.shape[axis] * inner
            for row in 0..<outer {
                (destination + row * dims[axis] * inner + offset).copyMemory(from: source + row * piece, byteCount: piece)
            }
            offset += piece
        }
        return result
    }

    /// Swaps the last two dimensions (batched over the leading ones), parallel over the batch when large.
    public func transpose(_ x: Tensor) throws -> Tensor {
        let op = "transpose"
        guard x.shape.rank >= 2 else { throw ComputeError.invalidArgument(op: op, reason: "rank of \(x.shape) < 2") }
        var dims = x.shape.dims
        let (m, n) = (dims[dims.count - 2], dims[dims.count - 1])
        let batch = dims.dropLast(2).reduce(1, *)
        dims.swapAt(dims.count - 2, dims.count - 1)
        let input = UnsafePointer(try floats(x, op))
        let (result, output) = try allocate(Shape(dims))
        let chunks = batch * m * n < 1 << 18 || batch < 2 ? 1 : min(batch, threadCount)
        parallel(chunks) { chunk in
            let (begin, end) = (chunk * batch / chunks, (chunk + 1) * batch / chunks)
            vv_transpose_batched_f32(
                input + begin * m * n, output + begin * m * n, Int64(end - begin), Int64(m), Int64(n))
        }
        return result
    }

    /// Elements `range` of dimension `axis`, copied.
    public func slice(_ x: Tensor, axis: Int, range: Range<Int>) throws -> Tensor {
        let op = "slice"
        let dims = try OpShapeChecks.slice(x, axis: axis, range: range)
        let result = try zeros(Shape(dims), dtype: x.dtype)
        let outer = dims[..<axis].reduce(1, *), inner = dims[(axis + 1)...].reduce(1, *) * x.dtype.byteSize
        let source = try address(x, op), destination = try address(result, op)
        for row in 0..<outer {
            (destination + row * range.count * inner).copyMemory(
                from: source + (row * x.shape[axis] + range.lowerBound) * inner, byteCount: range.count * inner)
        }
        return result
    }
}
