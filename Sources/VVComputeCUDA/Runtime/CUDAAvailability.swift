/// Whether the CUDA backend can run here: the device and compiler it would use, or the one-line reason it cannot
/// (logged as the reason for falling back to the CPU backend).
public enum CUDAAvailability: Sendable, Equatable, CustomStringConvertible {
    /// A usable device and NVRTC, with the kernel target chosen for the device.
    case available(device: CUDADeviceInfo, nvrtc: String, target: KernelTarget)
    /// Why not, in one line.
    case unavailable(reason: String)

    /// The reason when unavailable.
    public var reason: String? {
        if case .unavailable(let reason) = self { return reason }
        return nil
    }

    /// One line: the device and NVRTC, or `CUDA unavailable: <reason>`.
    public var description: String {
        switch self {
        case .available(let device, let nvrtc, let target): "\(device), NVRTC \(nvrtc), kernels for \(target)"
        case .unavailable(let reason): "CUDA unavailable: \(reason)"
        }
    }
}
