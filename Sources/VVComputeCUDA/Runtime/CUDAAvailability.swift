/// Whether the CUDA backend can run here: the device and compiler it would use, or the one-line reason it cannot
/// (logged as the reason for falling back to the CPU backend).
public enum CUDAAvailability: Sendable, Equatable, CustomStringConvertible {
    /// A usable device, where its kernels come from (NVRTC or the embedded PTX), and the kernel target.
    case available(device: CUDADeviceInfo, compiler: String, target: KernelTarget)
    /// Why not, in one line.
    case unavailable(reason: String)

    /// The reason when unavailable.
    public var reason: String? {
        if case .unavailable(let reason) = self { return reason }
        return nil
    }

    /// One line: the device and kernel source, or `CUDA unavailable: <reason>`.
    public var description: String {
        switch self {
        case .available(let device, let compiler, let target): "\(device), kernels for \(target) from \(compiler)"
        case .unavailable(let reason): "CUDA unavailable: \(reason)"
        }
    }
}
