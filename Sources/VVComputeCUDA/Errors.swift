/// Why the CUDA backend cannot be used on this machine; every case describes itself in one line, which is what the
/// server logs when it falls back to the CPU backend.
public enum CUDALoadError: Error, CustomStringConvertible, Equatable, Sendable {
    /// No candidate name of a library opened; `tried` lists each candidate with the loader's message.
    case libraryNotFound(library: String, tried: String)
    /// The library opened but lacks an exported function (usually: too old a version).
    case symbolMissing(library: String, path: String, symbol: String)
    /// A driver or NVRTC call made while loading or probing failed.
    case callFailed(call: String, code: Int32, name: String)
    /// The driver loaded and initialised but reports no CUDA device.
    case noDevice
    /// `device.gpu_id` names a device that does not exist.
    case deviceOutOfRange(requested: Int, count: Int)
    /// The device's compute capability is below what the kernels need.
    case computeCapabilityTooOld(device: String, major: Int, minor: Int, minimumMajor: Int, minimumMinor: Int)
    /// The driver supports an older CUDA version than the backend needs.
    case driverTooOld(version: Int32, minimum: Int32)
    /// No NVRTC that was found can build code this driver and device can run.
    case noUsableNVRTC(reason: String)
    /// CUDA is not offered on this operating system.
    case unsupportedPlatform(String)

    /// One line describing the failure.
    public var description: String {
        switch self {
        case .libraryNotFound(let library, let tried): "\(library) not found (tried \(tried))"
        case .symbolMissing(let library, let path, let symbol):
            "\(library) at \(path) lacks the function \(symbol) (library too old?)"
        case .callFailed(let call, let code, let name): "\(call) failed: \(name) (\(code))"
        case .noDevice: "the NVIDIA driver reports no CUDA device"
        case .deviceOutOfRange(let requested, let count):
            "device.gpu_id \(requested) is out of range: \(count) CUDA device(s) found"
        case .computeCapabilityTooOld(let device, let major, let minor, let minMajor, let minMinor):
            "\(device) has compute capability \(major).\(minor); at least \(minMajor).\(minMinor) is needed"
        case .driverTooOld(let version, let minimum):
            "the NVIDIA driver supports CUDA \(CUDAVersion.text(version)); at least \(CUDAVersion.text(minimum)) is needed"
        case .noUsableNVRTC(let reason): "no usable NVRTC: \(reason)"
        case .unsupportedPlatform(let os): "CUDA is not available on \(os)"
        }
    }
}

/// Failures of CUDA work after the libraries have loaded: driver calls, kernel compilation, the kernel cache.
public enum CUDAError: Error, CustomStringConvertible, Equatable, Sendable {
    /// A driver API call returned an error code.
    case driver(call: String, code: Int32, name: String)
    /// An NVRTC call (other than the compilation itself) returned an error code.
    case nvrtc(call: String, code: Int32, message: String)
    /// NVRTC rejected a kernel source; `log` is the compiler's log (possibly several lines, kept verbatim).
    case compilationFailed(kernel: String, target: String, log: String)
    /// A kernel entry point is missing from a compiled module.
    case missingEntryPoint(kernel: String, entry: String)
    /// The on-disk kernel cache could not be read or written.
    case cache(path: String, reason: String)
    /// The embedded PTX of a family does not match its source in this build.
    case staleEmbeddedPTX(kernel: String)

    /// One line describing the failure (a compilation log is reduced to its first error line).
    public var description: String {
        switch self {
        case .driver(let call, let code, let name): "\(call) failed: \(name) (\(code))"
        case .nvrtc(let call, let code, let message): "\(call) failed: \(message) (\(code))"
        case .compilationFailed(let kernel, let target, let log):
            "NVRTC could not compile kernel '\(kernel)' for \(target): "
                + (log.split(separator: "\n").first { $0.contains("error") }.map(String.init) ?? "see log")
        case .missingEntryPoint(let kernel, let entry): "kernel '\(kernel)' has no entry point \(entry)"
        case .cache(let path, let reason): "kernel cache \(path): \(reason)"
        case .staleEmbeddedPTX(let kernel):
            "the embedded PTX of \(kernel) was built from another source: run scripts/embed_cuda_ptx.py"
        }
    }
}
