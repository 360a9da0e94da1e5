import Foundation
import VVCompute

extension CUDABackend {
    /// RMSNorm over the last dimension (`norm.cu`, one block per row).
    public func rmsNorm(_ x: Tensor, weight: Tensor?, eps: Float) throws -> Tensor {
        let op = "rmsNorm"
        let width = x.shape.last
        if let weight, weight.shape != [width] {
            throw ComputeError.invalidArgument(op: op, reason: "weight \(weight.shape) for rows of \(width)")
        }
        try makeCurrent()
        let result = try allocate(x.shape)
        guard result.elementCount > 0 else { return result }
        var arguments = KernelArguments()
        arguments.pointer(try floats(x, op))
        arguments.pointer(try weight.map { try floats($0, op) } ?? 0)
        arguments.pointer(try address(result, op))
        arguments.int(x.shape.rows)
        arguments.int(width)
        arguments.float(eps)
        try launch(.norm, "vv_rms_norm_f32", grid: Self.grid(x.shape.rows, block: 1), block: 256, arguments)
        return result
    }

    /// `silu(gate) * up`.
    public func siluMul(_ gate: Tensor, _ up: Tensor) throws -> Tensor {
        guard gate.shape == up.shape else {
            throw ComputeError.invalidArgument(op: "siluMul", reason: "\(gate.shape) vs \(up.shape)")
        }
        return try elementwise("siluMul", "vv_silu_mul_f32", shape: gate.shape) { arguments in
            arguments.pointer(try floats(gate, "siluMul"))
            arguments.pointer(try floats(up, "siluMul"))
        }
    }

    /// A unary function (codes as `elementwise.cu`).
    public func unary(_ op: UnaryOp, _ x: Tensor) throws -> Tensor {
        let code =
            switch op {
            case .silu: 0
            case .gelu: 1
            case .sigmoid: 2
            case .relu: 3
            }
        return try elementwise("unary", "vv_unary_f32", shape: x.shape) { arguments in
            arguments.int(code)
            arguments.pointer(try floats(x, "unary"))
        }
    }

    /// `a + b` (b the same shape or one broadcast row).
    public func add(_ a: Tensor, _ b: Tensor) throws -> Tensor { try binary(0, "add", a, b) }

    /// `a * b` (b the same shape or one broadcast row).
    public func mul(_ a: Tensor, _ b: Tensor) throws -> Tensor { try binary(1, "mul", a, b) }

    private func binary(_ code: Int, _ op: String, _ a: Tensor, _ b: Tensor) throws -> Tensor {
        let cols = a.shape.last
        guard b.shape == a.shape || b.elementCount == cols else {
            throw ComputeError.invalidArgument(op: op, reason: "\(a.shape) and \(b.shape) do not broadcast")
        }
        try makeCurrent()
        let result = try allocate(a.shape)
        guard result.elementCount > 0 else { return result }
        var arguments = KernelArguments()
        arguments.int(code)
        arguments.pointer(try floats(a, op))
        arguments.pointer(try floats(b, op))
        arguments.pointer(try address(result, op))
        arguments.int(a.shape.rows)
        arguments.int(cols)
        arguments.int(b.elementCount / max(cols, 1))
        try launch(.elementwise, "vv_binary_f32", grid: Self.grid(result.elementCount), block: 256, arguments)
        return result
    }

    /// `x * factor`.
    public func scale(_ x: Tensor, by factor: Float) throws -> Tensor {
        try makeCurrent()
        let result = try allocate(x.shape)
        guard result.elementCount > 0 else { return result }
        var arguments = KernelArguments()
        arguments.pointer(try floats(x, "scale"))
        arguments.float(factor)
        arguments.pointer(try address(result, "scale"))
        arguments.int64(x.elementCount)
        try launch(.elementwise, "vv_scale_f32", grid: Self.grid(x.elementCount), block: 256, arguments)
        return result
    }

    /// Row-wise argmax on the device (`argmax.cu`), optionally over `allowed` ids only (not range-checked).
    public func argmax(_ x: Tensor, allowed: Tensor?) throws -> Tensor {
        let op = "argmax"
        if let allowed, allowed.dtype != .i32 || allowed.elementCount == 0 {
            throw ComputeError.invalidArgument(op: op, reason: "allowed ids must be a non-empty i32 tensor")
        }
        try makeCurrent()
        let rows = x.shape.rows
        let result = try allocate([rows], dtype: .i32)
        guard rows > 0 else { return result }
        var arguments = KernelArguments()
        arguments.pointer(try floats(x, op))
        arguments.pointer(try allowed.map { try address($0, op) } ?? 0)
        arguments.int(allowed?.elementCount ?? 0)
        arguments.pointer(try address(result, op))
        arguments.int(rows)
        arguments.int(x.shape.last)
        try launch(.argmax, "vv_argmax_f32", grid: Self.grid(rows, block: 1), block: 256, arguments)
        return result
    }

    /// Copies in place: same dtype by `cuMemcpyDtoDAsync`, f32 ↔ bf16/f16 by the conversion kernels.
    public func copy(_ source: Tensor, into destination: Tensor) throws {
        let op = "copy"
        guard source.elementCount == destination.elementCount else {
            throw ComputeError.invalidArgument(op: op, reason: "\(source.shape) into \(destination.shape)")
        }
        try makeCurrent()
        let count = source.elementCount
        guard count > 0 else { return }
        let (from, to) = (try address(source, op), try address(destination, op))
        if source.dtype == destination.dtype {
            try driver.check(driver.api.memcpyDtoDAsync(to, from, source.byteCount, stream), "cuMemcpyDtoDAsync_v2")
            return
        }
        let entry: String
        switch (source.dtype, destination.dtype) {
        case (.f32, .bf16): entry = "vv_convert_f32_to_bf16"
        case (.f32, .f16): entry = "vv_convert_f32_to_f16"
        case (.bf16, .f32): entry = "vv_convert_bf16_to_f32"
        case (.f16, .f32): entry = "vv_convert_f16_to_f32"
        default:
            throw ComputeError.invalidArgument(op: op, reason: "cannot convert \(source.dtype) to \(destination.dtype)")
        }
        var arguments = KernelArguments()
        arguments.pointer(from)
        arguments.pointer(to)
        arguments.int64(count)
        try launch(.layout, entry, grid: Self.grid(count), block: 256, arguments)
    }

    /// `x · (1 + scale) + shift`.
    public func modulate(_ x: Tensor, shift: Tensor, scale: Tensor) throws -> Tensor {
        let op = "modulate"
        let cols = x.shape.last
        guard shift.shape == scale.shape, shift.shape == x.shape || shift.elementCount == cols else {
            throw ComputeError.invalidArgument(
                op: op, reason: "x \(x.shape), shift \(shift.shape), scale \(scale.shape)")
        }
        try makeCurrent()
        let result = try allocate(x.shape)
        guard result.elementCount > 0 else { return result }
        var arguments = KernelArguments()
        arguments.pointer(try floats(x, op))
        arguments.pointer(try floats(shift, op))
        arguments.pointer(try floats(scale, op))
        arguments.pointer(try address(result, op))
        arguments.int(x.shape.rows)
        arguments.int(cols)
        arguments.int(shift.elementCount / max(cols, 1))
        try launch(.elementwise, "vv_modulate_f32", grid: Self.grid(result.elementCount), block: 256, arguments)
        return result
    }

    /// `Σ coefficients[i] · terms[i]`, accumulated in f32 in term order.
    public func combine(_ terms: [Tensor], coefficients: [Float]) throws -> Tensor {
        let op = "combine"
        guard let first = terms.first, terms.count == coefficients.count, terms.allSatisfy({ $0.shape == first.shape })
        else {
            throw ComputeError.invalidArgument(
                op: op,
                reason: "\(terms.count) terms of shapes \(terms.map(\.shape)), \(coefficients.count) coefficients")
        }
        let result = try zeros(first.shape, dtype: .f32)
        guard result.elementCount > 0 else { return result }
        for (term, coefficient) in zip(terms, coefficients) {
            var arguments = KernelArguments()
            arguments.float(coefficient)
            arguments.pointer(try floats(term, op))
            arguments.pointer(try address(result, op))
            arguments.int64(result.elementCount)
            try launch(.elementwise, "vv_axpy_f32", grid: Self.grid(result.elementCount), block: 256, arguments)
        }
        return result
    }

    /// Sinusoidal timestep embedding (`[cos, sin]`).
    public func timestepEmbedding(_ t: Tensor, dim: Int, maxPeriod: Double) throws -> Tensor {
        let op = "timestepEmbedding"
        guard dim > 0, maxPeriod > 0 else {
            throw ComputeError.invalidArgument(op: op, reason: "dim \(dim), maxPeriod \(maxPeriod)")
        }
        try makeCurrent()
        let result = try allocate([t.elementCount, dim])
        guard result.elementCount > 0 else { return result }
        var arguments = KernelArguments()
        arguments.pointer(try floats(t, op))
        arguments.pointer(try address(result, op))
        arguments.int(t.elementCount)
        arguments.int(dim)
        arguments.float(Float(-log(maxPeriod)))
        try launch(
            .elementwise, "vv_timestep_embedding_f32", grid: Self.grid(result.elementCount), block: 256, arguments)
        return result
    }

    /// A same-shape f32 elementwise kernel whose arguments are `prefix…, output, count`.
    private func elementwise(
        _ op: String, _ entry: String, shape: Shape, _ prefix: (inout KernelArguments) throws -> Void
    ) throws -> Tensor {
        try makeCurrent()
        let result = try allocate(shape)
        guard result.elementCount > 0 else { return result }
        var arguments = KernelArguments()
        try prefix(&arguments)
        arguments.pointer(try address(result, op))
        arguments.int64(result.elementCount)
        try launch(.elementwise, entry, grid: Self.grid(result.elementCount), block: 256, arguments)
        return result
    }
}
