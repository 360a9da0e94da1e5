/// What NVRTC is asked to produce for a kernel source.
public enum KernelTarget: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// PTX for a virtual architecture (`compute_80`): the driver JIT-compiles it at load, which needs a driver at
    /// least as new as the NVRTC that wrote it.
    case ptx(architecture: Int)
    /// A CUBIN for a real architecture (`sm_80`): loads on any driver of the same CUDA major version or newer.
    case cubin(architecture: Int)

    /// The architecture number (80 for `sm_80`).
    public var architecture: Int {
        switch self {
        case .ptx(let a), .cubin(let a): a
        }
    }

    /// The `--gpu-architecture=` option NVRTC takes.
    public var option: String {
        switch self {
        case .ptx(let a): "--gpu-architecture=compute_\(a)"
        case .cubin(let a): "--gpu-architecture=sm_\(a)"
        }
    }

    /// `compute_80` or `sm_80`.
    public var description: String {
        switch self {
        case .ptx(let a): "compute_\(a)"
        case .cubin(let a): "sm_\(a)"
        }
    }

    /// The cache file extension (`ptx` or `cubin`).
    public var fileExtension: String {
        switch self {
        case .ptx: "ptx"
        case .cubin: "cubin"
        }
    }
}
