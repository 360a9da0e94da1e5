/// What the driver reports about one CUDA device.
public struct CUDADeviceInfo: Sendable, Equatable, CustomStringConvertible {
    /// The device ordinal (`device.gpu_id`).
    public let ordinal: Int
    /// How many devices the driver sees.
    public let deviceCount: Int
    /// The marketing name (`NVIDIA H100 80GB HBM3`).
    public let name: String
    /// Compute capability, major part.
    public let computeCapabilityMajor: Int
    /// Compute capability, minor part.
    public let computeCapabilityMinor: Int
    /// Streaming multiprocessors.
    public let multiprocessors: Int
    /// Device memory in bytes.
    public let totalMemory: Int
    /// Free device memory in bytes when probed.
    public let freeMemory: Int
    /// The CUDA version the driver supports (12040 for 12.4).
    public let driverVersion: Int32

    /// Creates a record (the driver fills it in; tests build their own).
    public init(
        ordinal: Int, deviceCount: Int, name: String, computeCapabilityMajor: Int, computeCapabilityMinor: Int,
        multiprocessors: Int, totalMemory: Int, freeMemory: Int, driverVersion: Int32
    ) {
        self.ordinal = ordinal
        self.deviceCount = deviceCount
        self.name = name
        self.computeCapabilityMajor = computeCapabilityMajor
        self.computeCapabilityMinor = computeCapabilityMinor
        self.multiprocessors = multiprocessors
        self.totalMemory = totalMemory
        self.freeMemory = freeMemory
        self.driverVersion = driverVersion
    }

    /// The architecture number NVRTC uses (`90` for compute capability 9.0).
    public var architecture: Int { computeCapabilityMajor * 10 + computeCapabilityMinor }

    /// `cuda:0 NVIDIA H100 80GB HBM3 (sm_90, 132 SMs, 79.1 GiB, 78.6 GiB free, driver CUDA 12.4)`.
    public var description: String {
        func gib(_ bytes: Int) -> String {
            let tenths = (bytes * 10 + (1 << 29)) >> 30
            return "\(tenths / 10).\(tenths % 10) GiB"
        }
        return "cuda:\(ordinal) \(name) (sm_\(architecture), \(multiprocessors) SMs, \(gib(totalMemory)), "
            + "\(gib(freeMemory)) free, driver CUDA \(CUDAVersion.text(driverVersion)))"
    }
}
