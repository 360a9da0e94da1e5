/// The CUDA driver API functions the backend calls, as typed `@convention(c)` pointers resolved at run time from
/// `libcuda.so.1` / `nvcuda.dll`.
///
/// Types are transcribed from `cuda.h` (no header or SDK at build time): `CUresult` and `CUdevice` are `Int32`,
/// `CUdeviceptr` is `UInt64`, handles are opaque pointers, `size_t` is `Int`. Functions that `cuda.h` maps to
/// versioned names are resolved under those names (`cuMemAlloc_v2`…): the unversioned exports are the CUDA 3.x
/// ABI with 32-bit sizes and must never be called. `symbolNames` lists every name resolved, in order.
public struct CUDADriverAPI: @unchecked Sendable {
    typealias Init = @convention(c) (UInt32) -> Int32
    typealias GetInt = @convention(c) (UnsafeMutablePointer<Int32>) -> Int32
    typealias DeviceGet = @convention(c) (UnsafeMutablePointer<Int32>, Int32) -> Int32
    typealias DeviceGetName = @convention(c) (UnsafeMutablePointer<CChar>, Int32, Int32) -> Int32
    typealias DeviceGetAttribute = @convention(c) (UnsafeMutablePointer<Int32>, Int32, Int32) -> Int32
    typealias DeviceTotalMem = @convention(c) (UnsafeMutablePointer<Int>, Int32) -> Int32
    typealias PrimaryCtxRetain = @convention(c) (UnsafeMutablePointer<OpaquePointer?>, Int32) -> Int32
    typealias PrimaryCtxRelease = @convention(c) (Int32) -> Int32
    typealias CtxSetCurrent = @convention(c) (OpaquePointer?) -> Int32
    typealias NoArguments = @convention(c) () -> Int32
    typealias MemGetInfo = @convention(c) (UnsafeMutablePointer<Int>, UnsafeMutablePointer<Int>) -> Int32
    typealias MemAlloc = @convention(c) (UnsafeMutablePointer<UInt64>, Int) -> Int32
    typealias MemFree = @convention(c) (UInt64) -> Int32
    typealias MemcpyHtoDAsync = @convention(c) (UInt64, UnsafeRawPointer?, Int, OpaquePointer?) -> Int32
    typealias MemcpyDtoHAsync = @convention(c) (UnsafeMutableRawPointer?, UInt64, Int, OpaquePointer?) -> Int32
    typealias MemcpyDtoDAsync = @convention(c) (UInt64, UInt64, Int, OpaquePointer?) -> Int32
    typealias MemsetD8Async = @convention(c) (UInt64, UInt8, Int, OpaquePointer?) -> Int32
    typealias ModuleLoadData = @convention(c) (UnsafeMutablePointer<OpaquePointer?>, UnsafeRawPointer) -> Int32
    typealias ModuleGetFunction =
        @convention(c) (UnsafeMutablePointer<OpaquePointer?>, OpaquePointer?, UnsafePointer<CChar>) -> Int32
    typealias ModuleUnload = @convention(c) (OpaquePointer?) -> Int32
    typealias LaunchKernel =
        @convention(c) (
            OpaquePointer?, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, OpaquePointer?,
            UnsafeMutablePointer<UnsafeMutableRawPointer?>?, UnsafeMutablePointer<UnsafeMutableRawPointer?>?
        ) -> Int32
    typealias StreamCreate = @convention(c) (UnsafeMutablePointer<OpaquePointer?>, UInt32) -> Int32
    typealias StreamHandle = @convention(c) (OpaquePointer?) -> Int32
    typealias GetErrorText = @convention(c) (Int32, UnsafeMutablePointer<UnsafePointer<CChar>?>) -> Int32

    /// Every exported name this table resolves, in resolution order (the versioned ones end in `_v2`).
    public static let symbolNames = [
        "cuInit", "cuDriverGetVersion", "cuDeviceGetCount", "cuDeviceGet", "cuDeviceGetName", "cuDeviceGetAttribute",
        "cuDeviceTotalMem_v2", "cuDevicePrimaryCtxRetain", "cuDevicePrimaryCtxRelease_v2", "cuCtxSetCurrent",
        "cuCtxSynchronize", "cuMemGetInfo_v2", "cuMemAlloc_v2", "cuMemFree_v2", "cuMemcpyHtoDAsync_v2",
        "cuMemcpyDtoHAsync_v2", "cuMemcpyDtoDAsync_v2", "cuMemsetD8Async", "cuModuleLoadData", "cuModuleGetFunction",
        "cuModuleUnload", "cuLaunchKernel", "cuStreamCreate", "cuStreamDestroy_v2", "cuStreamSynchronize",
        "cuGetErrorName", "cuGetErrorString",
    ]

    let initialize: Init
    let driverGetVersion: GetInt
    let deviceGetCount: GetInt
    let deviceGet: DeviceGet
    let deviceGetName: DeviceGetName
    let deviceGetAttribute: DeviceGetAttribute
    let deviceTotalMem: DeviceTotalMem
    let primaryCtxRetain: PrimaryCtxRetain
    let primaryCtxRelease: PrimaryCtxRelease
    let ctxSetCurrent: CtxSetCurrent
    let ctxSynchronize: NoArguments
    let memGetInfo: MemGetInfo
    let memAlloc: MemAlloc
    let memFree: MemFree
    let memcpyHtoDAsync: MemcpyHtoDAsync
    let memcpyDtoHAsync: MemcpyDtoHAsync
    let memcpyDtoDAsync: MemcpyDtoDAsync
    let memsetD8Async: MemsetD8Async
    let moduleLoadData: ModuleLoadData
    let moduleGetFunction: ModuleGetFunction
    let moduleUnload: ModuleUnload
    let launchKernel: LaunchKernel
    let streamCreate: StreamCreate
    let streamDestroy: StreamHandle
    let streamSynchronize: StreamHandle
    let getErrorName: GetErrorText
    let getErrorString: GetErrorText

    /// Resolves every function from `source`.
    /// - Throws: `CUDALoadError.symbolMissing` for the first absent name.
    public init(_ source: some SymbolSource) throws {
        let lib = "CUDA driver"
        let n = Self.symbolNames
        initialize = try source.resolve(n[0], lib)
        driverGetVersion = try source.resolve(n[1], lib)
        deviceGetCount = try source.resolve(n[2], lib)
        deviceGet = try source.resolve(n[3], lib)
        deviceGetName = try source.resolve(n[4], lib)
        deviceGetAttribute = try source.resolve(n[5], lib)
        deviceTotalMem = try source.resolve(n[6], lib)
        primaryCtxRetain = try source.resolve(n[7], lib)
        primaryCtxRelease = try source.resolve(n[8], lib)
        ctxSetCurrent = try source.resolve(n[9], lib)
        ctxSynchronize = try source.resolve(n[10], lib)
        memGetInfo = try source.resolve(n[11], lib)
        memAlloc = try source.resolve(n[12], lib)
        memFree = try source.resolve(n[13], lib)
        memcpyHtoDAsync = try source.resolve(n[14], lib)
        memcpyDtoHAsync = try source.resolve(n[15], lib)
        memcpyDtoDAsync = try source.resolve(n[16], lib)
        memsetD8Async = try source.resolve(n[17], lib)
        moduleLoadData = try source.resolve(n[18], lib)
        moduleGetFunction = try source.resolve(n[19], lib)
        moduleUnload = try source.resolve(n[20], lib)
        launchKernel = try source.resolve(n[21], lib)
        streamCreate = try source.resolve(n[22], lib)
        streamDestroy = try source.resolve(n[23], lib)
        streamSynchronize = try source.resolve(n[24], lib)
        getErrorName = try source.resolve(n[25], lib)
        getErrorString = try source.resolve(n[26], lib)
    }

    /// `CUDA_ERROR_…` for a result code (the driver's own name, or the number when it has none).
    func errorName(_ code: Int32) -> String {
        var text: UnsafePointer<CChar>?
        guard getErrorName(code, &text) == 0, let text else { return "CUDA error \(code)" }
        return String(cString: text)
    }
}

/// Device attribute numbers from `cuda.h` (`CUdevice_attribute`).
enum CUDADeviceAttribute {
    static let multiprocessorCount: Int32 = 16
    static let computeCapabilityMajor: Int32 = 75
    static let computeCapabilityMinor: Int32 = 76
}
