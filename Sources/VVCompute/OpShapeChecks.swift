/// The argument checks every backend applies before running an op, defined once so that all backends refuse the
/// same inputs with the same message (the CPU backend is the reference the others are tested against).
public enum OpShapeChecks {
    /// The sizes of a checked `conv1d`.
    public struct Conv1d: Sendable, Equatable {
        /// Batch, input channels, input length, output channels, kernel size, output length.
        public let batch, inputChannels, time, outputChannels, kernel, outputTime: Int
    }

    /// The sizes of a checked `convTranspose1d`.
    public struct ConvTranspose1d: Sendable, Equatable {
        /// Batch, input channels, input length, output channels, kernel size, output length.
        public let batch, inputChannels, time, outputChannels, kernel, outputTime: Int
    }

    /// `x` `[batch, cin, time]`, `weight` `[cout, cin / groups, kernel]`, optional `bias` `[cout]`, no padding.
    /// - Throws: `ComputeError.invalidArgument` naming `conv1d`.
    public static func conv1d(_ x: Tensor, weight: Tensor, bias: Tensor?, params p: Conv1dParams) throws -> Conv1d {
        let op = "conv1d"
        guard x.shape.rank == 3, weight.shape.rank == 3, p.stride > 0, p.dilation > 0, p.groups > 0 else {
            throw ComputeError.invalidArgument(op: op, reason: "x \(x.shape), weight \(weight.shape), \(p)")
        }
        let (batch, cin, time) = (x.shape[0], x.shape[1], x.shape[2])
        let (cout, kernel) = (weight.shape[0], weight.shape[2])
        let span = p.dilation * (kernel - 1) + 1
        guard cin % p.groups == 0, cout % p.groups == 0, weight.shape[1] == cin / p.groups, kernel > 0, time >= span
        else {
            throw ComputeError.invalidArgument(op: op, reason: "x \(x.shape) does not fit weight \(weight.shape), \(p)")
        }
        if let bias, bias.shape != [cout] {
            throw ComputeError.invalidArgument(op: op, reason: "bias \(bias.shape) for \(cout) channels")
        }
        return Conv1d(
            batch: batch, inputChannels: cin, time: time, outputChannels: cout, kernel: kernel,
            outputTime: (time - span) / p.stride + 1)
    }

    /// `x` `[batch, cin, time]`, `weight` `[cin, cout / groups, kernel]`, optional `bias` `[cout]`; output length
    /// `(time − 1) · stride + kernel` (no padding, no trimming).
    /// - Throws: `ComputeError.invalidArgument` naming `convTranspose1d`.
    public static func convTranspose1d(
        _ x: Tensor, weight: Tensor, bias: Tensor?, params p: ConvTranspose1dParams
    ) throws -> ConvTranspose1d {
        let op = "convTranspose1d"
        guard x.shape.rank == 3, weight.shape.rank == 3, p.stride > 0, p.groups > 0, x.shape[2] > 0 else {
            throw ComputeError.invalidArgument(op: op, reason: "x \(x.shape), weight \(weight.shape), \(p)")
        }
        let (batch, cin, time) = (x.shape[0], x.shape[1], x.shape[2])
        let kernel = weight.shape[2], cout = weight.shape[1] * p.groups
        guard weight.shape[0] == cin, cin % p.groups == 0, kernel > 0 else {
            throw ComputeError.invalidArgument(op: op, reason: "x \(x.shape) does not fit weight \(weight.shape), \(p)")
        }
        if let bias, bias.shape != [cout] {
            throw ComputeError.invalidArgument(op: op, reason: "bias \(bias.shape) for \(cout) channels")
        }
        return ConvTranspose1d(
            batch: batch, inputChannels: cin, time: time, outputChannels: cout, kernel: kernel,
            outputTime: (time - 1) * p.stride + kernel)
    }

    /// `x` `[rows, heads · headDim]` (even `headDim`) at i32 `positions` `[rows]`.
    /// - Throws: `ComputeError.invalidArgument` naming `rope`.
    public static func rope(_ x: Tensor, positions: Tensor, params: RopeParams) throws {
        let width = params.heads * params.headDim
        guard x.shape.last == width, params.headDim % 2 == 0, positions.dtype == .i32,
            positions.elementCount == x.shape.rows
        else {
            throw ComputeError.invalidArgument(
                op: "rope",
                reason: "x \(x.shape), positions \(positions.shape), heads \(params.heads)x\(params.headDim)")
        }
    }

    /// Tensors of one dtype and rank that agree off `axis`; returns the dimensions of their concatenation.
    /// - Throws: `ComputeError.invalidArgument` naming `concat`.
    public static func concat(_ tensors: [Tensor], axis: Int) throws -> [Int] {
        let op = "concat"
        guard let first = tensors.first, axis >= 0, axis < first.shape.rank else {
            throw ComputeError.invalidArgument(op: op, reason: "needs tensors of rank > \(axis)")
        }
        var dims = first.shape.dims
        for tensor in tensors {
            var other = tensor.shape.dims
            guard other.count == dims.count, tensor.dtype == first.dtype else {
                throw ComputeError.invalidArgument(
                    op: op, reason: "\(tensor.dtype)\(tensor.shape) vs \(first.dtype)\(first.shape)")
            }
            other[axis] = dims[axis]
            guard other == dims else {
                throw ComputeError.invalidArgument(op: op, reason: "\(tensor.shape) vs \(first.shape) off axis \(axis)")
            }
        }
        dims[axis] = tensors.reduce(0) { $0 + $1.shape[axis] }
        return dims
    }

    /// `range` inside dimension `axis` of `x`; returns the dimensions of the slice.
    /// - Throws: `ComputeError.invalidArgument` naming `slice`.
    public static func slice(_ x: Tensor, axis: Int, range: Range<Int>) throws -> [Int] {
        guard axis >= 0, axis < x.shape.rank, range.lowerBound >= 0, range.upperBound <= x.shape[axis] else {
            throw ComputeError.invalidArgument(op: "slice", reason: "\(range) of axis \(axis) in \(x.shape)")
        }
        var dims = x.shape.dims
        dims[axis] = range.count
        return dims
    }
}
