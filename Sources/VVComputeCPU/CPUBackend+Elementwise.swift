import CVVKernels
import VVCompute

extension CPUBackend {
    /// RMSNorm over the last dimension.
    public func rmsNorm(_ x: Tensor, weight: Tensor?, eps: Float) throws -> Tensor {
        let op = "rmsNorm"
        let width = x.shape.last
        if let weight, weight.shape != [width] {
            throw ComputeError.invalidArgument(op: op, reason: "weight \(weight.shape) for rows of \(width)")
        }
        let input = try floats(x, op)
        let scale = try weight.map { UnsafePointer(try floats($0, op)) }
        let (result, output) = try allocate(x.shape)
        vv_rms_norm_f32(isa.rawValue, input, scale, output, Int64(x.shape.rows), Int64(width), eps)
        return result
    }

    /// `silu(gate) * up`.
    public func siluMul(_ gate: Tensor, _ up: Tensor) throws -> Tensor {
        guard gate.shape == up.shape else {
            throw ComputeError.invalidArgument(op: "siluMul", reason: "\(gate.shape) vs \(up.shape)")
        }
        let g = try floats(gate, "siluMul"), u = try floats(up, "siluMul")
        let (result, output) = try allocate(gate.shape)
        vv_silu_mul_f32(g, u, output, Int64(gate.elementCount))
        return result
    }

    /// A unary elementwise function, split over threads for large tensors (GELU vectorised on AVX2).
    public func unary(_ op: UnaryOp, _ x: Tensor) throws -> Tensor {
        let input = UnsafePointer(try floats(x, "unary"))
        let (result, output) = try allocate(x.shape)
        let code: Int32 =
            switch op {
            case .silu: VV_UNARY_SILU
            case .gelu: VV_UNARY_GELU
            case .sigmoid: VV_UNARY_SIGMOID
            case .relu: VV_UNARY_RELU
            }
        let count = x.elementCount, level = isa.rawValue
        let chunks = count < 1 << 15 ? 1 : min(threadCount, count >> 14)
        parallel(chunks) { chunk in
            let begin = chunk * count / chunks, end = (chunk + 1) * count / chunks
            if op == .gelu {
                vv_gelu_f32(level, input + begin, output + begin, Int64(end - begin))
            } else {
                vv_unary_f32(code, input + begin, output + begin, Int64(end - begin))
            }
        }
        return result
    }

    /// `a + b` (b same shape or one broadcast row).
    public func add(_ a: Tensor, _ b: Tensor) throws -> Tensor { try binary(VV_BINARY_ADD, "add", a, b) }

    /// `a * b` (b same shape or one broadcast row).
    public func mul(_ a: Tensor, _ b: Tensor) throws -> Tensor { try binary(VV_BINARY_MUL, "mul", a, b) }

    private func binary(_ code: Int32, _ op: String, _ a: Tensor, _ b: Tensor) throws -> Tensor {
        let cols = a.shape.last
        guard b.shape == a.shape || (b.elementCount == cols) else {
            throw ComputeError.invalidArgument(op: op, reason: "\(a.shape) and \(b.shape) do not broadcast")
        }
        let x = try floats(a, op), y = try floats(b, op)
        let (result, output) = try allocate(a.shape)
        vv_binary_f32(code, x, y, output, Int64(a.shape.rows), Int64(cols), Int64(b.elementCount / max(cols, 1)))
        return result
    }

    /// `x * factor`.
    public func scale(_ x: Tensor, by factor: Float) throws -> Tensor {
        let input = try floats(x, "scale")
        let (result, output) = try allocate(x.shape)
        vv_scale_f32(input, factor, output, Int64(x.elementCount))
        return result
    }

    /// Row-wise argmax, optionally over `allowed` ids only.
    public func argmax(_ x: Tensor, allowed: Tensor?) throws -> Tensor {
        let op = "argmax"
        let input = try floats(x, op)
        let width = x.shape.last, rows = x.shape.rows
        var allowedPointer: UnsafePointer<Int32>?
        var allowedCount = 0
        if let allowed {
            guard allowed.dtype == .i32, allowed.elementCount > 0 else {
                throw ComputeError.invalidArgument(op: op, reason: "allowed ids must be a non-empty i32 tensor")
            }
            let ids = try address(allowed, op).assumingMemoryBound(to: Int32.self)
            for i in 0..<allowed.elementCount where ids[i] < 0 || Int(ids[i]) >= width {
                throw ComputeError.invalidArgument(op: op, reason: "allowed id \(ids[i]) outside 0..<\(width)")
            }
            allowedPointer = UnsafePointer(ids)
            allowedCount = allowed.elementCount
        }
        var indices = [Int32](repeating: 0, count: rows)
        for row in 0..<rows {
            indices[row] = Int32(
                vv_argmax_f32(input + row * width, Int64(width), allowedPointer, Int64(allowedCount)))
        }
        return try uploadInt32(indices, shape: Shape([rows]))
    }

    /// Copies `source` into `destination` in place, converting between f32 and bf16/f16 when they differ.
    public func copy(_ source: Tensor, into destination: Tensor) throws {
        let op = "copy"
        guard source.elementCount == destination.elementCount else {
            throw ComputeError.invalidArgument(op: op, reason: "\(source.shape) into \(destination.shape)")
        }
        let from = try address(source, op), to = try address(destination, op)
        let count = source.elementCount
        if source.dtype == destination.dtype {
            to.copyMemory(from: from, byteCount: source.byteCount)
        } else if destination.dtype == .f32, source.dtype != .i32 {
            vv_convert_to_f32(
                isa.rawValue, try weightType(source.dtype, op), from, to.assumingMemoryBound(to: Float.self),
                Int64(count))
        } else if source.dtype == .f32, destination.dtype == .bf16 || destination.dtype == .f16 {
            vv_convert_from_f32(
                try weightType(destination.dtype, op), from.assumingMemoryBound(to: Float.self),
                to.assumingMemoryBound(to: UInt16.self), Int64(count))
        } else {
            throw ComputeError.invalidArgument(op: op, reason: "cannot convert \(source.dtype) to \(destination.dtype)")
        }
    }

    /// `x · (1 + scale) + shift`.
    public func modulate(_ x: Tensor, shift: Tensor, scale: Tensor) throws -> Tensor {
        let op = "modulate"
        let cols = x.shape.last
        guard shift.shape == scale.shape, shift.shape == x.shape || shift.elementCount == cols else {
            throw ComputeError.invalidArgument(op: op, reason: "x \(x.shape), shift \(shift.shape), scale \(scale.shape)")
        }
        let input = try floats(x, op), sh = try floats(shift, op), sc = try floats(scale, op)
        let (result, output) = try allocate(x.shape)
        vv_modulate_f32(input, sh, sc, output, Int64(x.shape.rows), Int64(cols), Int64(shift.elementCount / max(cols, 1)))
        return result
    }

    /// `Σ coefficients[i] · terms[i]`.
    public func combine(_ terms: [Tensor], coefficients: [Float]) throws -> Tensor {
        let op = "combine"
        guard let first = terms.first, terms.count == coefficients.count,
            terms.allSatisfy({ $0.shape == first.shape })
        else {
            throw ComputeError.invalidArgument(op: op, reason: "\(terms.count) terms of shapes \(terms.map(\.shape)), \(coefficients.count) coefficients")
        }
        let (result, output) = try allocate(first.shape)
        for (term, coefficient) in zip(terms, coefficients) {
            vv_axpy_f32(coefficient, try floats(term, op), output, Int64(first.elementCount))
        }
        return result
    }

    /// Sinusoidal timestep embedding (`[cos, sin]`).
    public func timestepEmbedding(_ t: Tensor, dim: Int, maxPeriod: Double) throws -> Tensor {
        let op = "timestepEmbedding"
        guard dim > 0, maxPeriod > 0 else {
            throw ComputeError.invalidArgument(op: op, reason: "dim \(dim), maxPeriod \(maxPeriod)")
        }
        let steps = try floats(t, op)
        let (result, output) = try allocate([t.elementCount, dim])
        vv_timestep_embedding_f32(steps, output, Int64(t.elementCount), Int64(dim), maxPeriod)
        return result
    }
}
