import Foundation

/// Finds out whether the CUDA backend can run: loads the driver, picks device `device.gpu_id`, checks its compute
/// capability and the driver version, and finds an NVRTC that can build kernels for it.
///
/// NVRTC candidates whose major version is newer than the driver's CUDA major are skipped (their output would not
/// load), as are those that do not know the device's architecture and cannot target an older one for JIT. With no
/// usable NVRTC, the kernels come from the embedded PTX (`EmbeddedPTX`) when the driver is new enough to load it, so
/// a machine with only the NVIDIA driver can run the backend.
public enum CUDAProbe {
    /// The oldest compute capability accepted (Maxwell; NVRTC 12 still targets it).
    public static let minimumComputeCapability = (major: 5, minor: 0)
    /// The oldest driver accepted: CUDA 11.2, the first with `nvrtcGetSupportedArchs`.
    public static let minimumDriverVersion: Int32 = 11020

    /// A device and an NVRTC that can build kernels for it.
    public struct Selection: @unchecked Sendable {
        /// The initialised driver.
        public let driver: CUDADriver
        /// The chosen device.
        public let device: CUDADeviceInfo
        /// The chosen compiler, or nil when the kernels come from the embedded PTX.
        public let nvrtc: NVRTC?
        /// What kernels are compiled to for this device.
        public let target: KernelTarget
        /// Where kernels come from, in one line (`NVRTC 12.9 (libnvrtc.so.12)` or the embedded-PTX note).
        public let compiler: String
    }

    /// Probes without throwing: `.available` or `.unavailable` with a one-line reason.
    public static func probe(
        gpuID: Int = 0,
        libraries: CUDALibraryCandidates = .fromEnvironment(ProcessInfo.processInfo.environment)
    ) -> CUDAAvailability {
        do {
            let selection = try select(gpuID: gpuID, libraries: libraries)
            return .available(device: selection.device, compiler: selection.compiler, target: selection.target)
        } catch {
            return .unavailable(reason: "\(error)")
        }
    }

    /// Loads what the backend needs for device `gpuID`.
    /// - Throws: `CUDALoadError` naming the first missing piece (driver, device, capability, NVRTC).
    public static func select(gpuID: Int, libraries: CUDALibraryCandidates) throws -> Selection {
        let driver = try CUDADriver.load(candidates: libraries.driver)
        guard driver.version >= minimumDriverVersion else {
            throw CUDALoadError.driverTooOld(version: driver.version, minimum: minimumDriverVersion)
        }
        let count: Int
        do { count = try driver.deviceCount() } catch { throw asLoadError(error) }
        guard count > 0 else { throw CUDALoadError.noDevice }
        guard gpuID >= 0, gpuID < count else { throw CUDALoadError.deviceOutOfRange(requested: gpuID, count: count) }
        let device: CUDADeviceInfo
        do { device = try driver.deviceInfo(ordinal: gpuID) } catch { throw asLoadError(error) }
        let minimum = minimumComputeCapability
        guard (device.computeCapabilityMajor, device.computeCapabilityMinor) >= (minimum.major, minimum.minor) else {
            throw CUDALoadError.computeCapabilityTooOld(
                device: "cuda:\(gpuID) \(device.name)", major: device.computeCapabilityMajor,
                minor: device.computeCapabilityMinor, minimumMajor: minimum.major, minimumMinor: minimum.minor)
        }
        let nvrtc: NVRTC
        do {
            nvrtc = try NVRTC.loadFirst(candidates: libraries.nvrtc) { candidate in
                nvrtcRejection(
                    candidate.major, candidate.supportedArchitectures, driverVersion: driver.version,
                    deviceArchitecture: device.architecture)
            }
        } catch {
            if let reason = EmbeddedPTX.rejection(
                driverVersion: driver.version, deviceArchitecture: device.architecture)
            {
                throw CUDALoadError.noUsableNVRTC(reason: "\(error), and \(reason)")
            }
            return Selection(
                driver: driver, device: device, nvrtc: nil, target: EmbeddedPTX.target,
                compiler: "embedded PTX (\(EmbeddedPTX.summary)), JIT-compiled by the driver; no NVRTC: \(error)")
        }
        guard let target = nvrtc.target(forDevice: device.architecture) else {
            throw CUDALoadError.noUsableNVRTC(
                reason: "NVRTC \(nvrtc.versionText) cannot target sm_\(device.architecture)")
        }
        return Selection(
            driver: driver, device: device, nvrtc: nvrtc, target: target,
            compiler: "NVRTC \(nvrtc.versionText) (\(nvrtc.path))")
    }

    /// Why an NVRTC of `major` supporting `architectures` cannot serve this driver and device, or nil if it can.
    public static func nvrtcRejection(
        _ major: Int, _ architectures: [Int], driverVersion: Int32, deviceArchitecture: Int
    ) -> String? {
        if major > CUDAVersion.major(driverVersion) {
            return "NVRTC \(major) is newer than the driver's CUDA \(CUDAVersion.text(driverVersion))"
        }
        if let oldest = architectures.first, deviceArchitecture < oldest {
            return "NVRTC \(major) supports sm_\(oldest) and newer, the device is sm_\(deviceArchitecture)"
        }
        return nil
    }

    private static func asLoadError(_ error: any Error) -> any Error {
        if case .driver(let call, let code, let name) = error as? CUDAError {
            return CUDALoadError.callFailed(call: call, code: code, name: name)
        }
        return error
    }
}
