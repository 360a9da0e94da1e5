import CVVKernels
import VVCompute

extension CPUBackend {
    /// `y = x · Wᵀ + bias`, split over threads by output columns (decode: one streamed weight row at a time;
    /// prefill: packed 16-column panels).
    public func linear(_ x: Tensor, weight: Tensor, bias: Tensor?) throws -> Tensor {
        try linears(x, weights: [weight], biases: [bias])[0]
    }

    /// Several linears of one input in one parallel region (one synchronisation instead of one per weight).
    public func linears(_ x: Tensor, weights: [Tensor], biases: [Tensor?]) throws -> [Tensor] {
        let op = "linear"
        guard weights.count == biases.count, !weights.isEmpty, x.shape.rank >= 1 else {
            throw ComputeError.invalidArgument(op: op, reason: "\(weights.count) weights, \(biases.count) biases")
        }
        let rows = x.shape.rows
        let input = UnsafePointer(try floats(x, op))
        var jobs: [LinearJob] = []
        var results: [Tensor] = []
        for (weight, bias) in zip(weights, biases) {
            guard weight.shape.rank == 2, x.shape.last == weight.shape[1] else {
                throw ComputeError.invalidArgument(op: op, reason: "x \(x.shape) does not fit weight \(weight.shape)")
            }
            let outer = weight.shape[0]
            if let bias, bias.shape != [outer] {
                throw ComputeError.invalidArgument(op: op, reason: "bias \(bias.shape) for \(outer) outputs")
            }
            var dims = x.shape.dims
            dims[dims.count - 1] = outer
            let (result, output) = try allocate(Shape(dims))
            results.append(result)
            let work = rows * weight.shape[1] * outer
            let chunks = work < 1 << 16 ? 1 : min(threadCount * 4, max(1, outer / 16))
            let granule = rows >= 8 ? 16 : 4  // panel width of the prefill kernel, row block of the others
            let perChunk = ((outer + granule - 1) / granule + chunks - 1) / chunks * granule
            let job = LinearJob(
                weights: UnsafeRawPointer(try address(weight, op)), code: try weightType(weight.dtype, op),
                bias: try bias.map { UnsafePointer(try floats($0, op)) }, output: output, inner: weight.shape[1],
                outer: outer, perChunk: perChunk)
            for chunk in 0..<chunks where chunk * perChunk < outer { jobs.append(job.chunk(chunk)) }
        }
        let level = isa.rawValue
        let tasks = jobs
        parallel(tasks.count) { index in
            let job = tasks[index]
            vv_linear(
                level, job.code, input, Int64(rows), Int64(job.inner), job.weights, job.bias, job.output,
                Int64(job.outer), Int64(job.begin), Int64(job.end))
        }
        return results
    }

    /// Gathers rows of `table` (any weight dtype) for i32 `ids`, widening to f32.
    public func embedding(_ table: Tensor, ids: Tensor) throws -> Tensor {
        let op = "embedding"
        guard table.shape.rank == 2, ids.dtype == .i32 else {
            throw ComputeError.invalidArgument(op: op, reason: "table \(table.shape) ids \(ids.dtype)\(ids.shape)")
        }
        let vocab = table.shape[0], dim = table.shape[1]
        let code = try weightType(table.dtype, op)
        let base = try address(table, op)
        let indices = try address(ids, op).assumingMemoryBound(to: Int32.self)
        let (result, output) = try allocate(Shape(ids.shape.dims + [dim]))
        for row in 0..<ids.elementCount {
            let id = Int(indices[row])
            guard id >= 0, id < vocab else {
                throw ComputeError.invalidArgument(op: op, reason: "id \(id) outside vocabulary of \(vocab)")
            }
            vv_convert_to_f32(
                isa.rawValue, code, base + id * dim * table.dtype.byteSize, output + row * dim, Int64(dim))
        }
        return result
    }
}

/// One column range of one weight for `linears`.
private struct LinearJob {
    let weights: UnsafeRawPointer
    let code: Int32
    let bias: UnsafePointer<Float>?
    let output: UnsafeMutablePointer<Float>
    let inner: Int
    let outer: Int
    let perChunk: Int
    var begin = 0
    var end = 0

    func chunk(_ index: Int) -> LinearJob {
        var copy = self
        copy.begin = index * perChunk
        copy.end = min(outer, copy.begin + perChunk)
        return copy
    }
}
