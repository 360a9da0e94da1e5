import VVModelFiles

/// The precompiled PTX of `KernelPTX.generated.swift`.
///
/// It is what the backend loads when the machine has the NVIDIA driver but no NVRTC. The driver JIT-compiles it for the GPU (`compute_50` PTX runs on every GPU from Maxwell on).
public enum EmbeddedPTX {
    /// The oldest driver that loads it: the CUDA version of the NVRTC that wrote it (12.0 → ISA 8.0).
    public static var minimumDriverVersion: Int32 {
        let parts = KernelPTX.nvrtcVersion.split(separator: ".").compactMap { Int($0) }
        return CUDAVersion.encode(major: parts.first ?? 99, minor: parts.count > 1 ? parts[1] : 0)
    }

    /// The target it was built for.
    public static var target: KernelTarget { .ptx(architecture: KernelPTX.architecture) }

    /// `NVRTC 12.0, compute_50`.
    public static var summary: String { "NVRTC \(KernelPTX.nvrtcVersion), compute_\(KernelPTX.architecture)" }

    /// Why the embedded PTX cannot serve this driver and device, or nil when it can.
    public static func rejection(driverVersion: Int32, deviceArchitecture: Int) -> String? {
        if driverVersion < minimumDriverVersion {
            return "the embedded PTX needs a CUDA \(CUDAVersion.text(minimumDriverVersion)) driver, "
                + "this one supports \(CUDAVersion.text(driverVersion))"
        }
        if deviceArchitecture < KernelPTX.architecture {
            return
                "the embedded PTX targets sm_\(KernelPTX.architecture) and newer, the device is sm_\(deviceArchitecture)"
        }
        return nil
    }

    /// The PTX of `family` (without a trailing NUL).
    /// - Throws: `CUDAError.staleEmbeddedPTX` when it was built from a different source than the one in this build.
    public static func image(_ family: CUDAKernelFamily) throws -> [UInt8] {
        guard let entry = KernelPTX.families[family.fileName],
            entry.sourceSHA256 == SHA256.hex(Array(family.source.utf8))
        else { throw CUDAError.staleEmbeddedPTX(kernel: family.fileName) }
        return Array(entry.ptx.utf8)
    }
}
