import VVPlatform

/// The CUDA driver API, loaded and initialised (`cuInit`), with the calls the probe and the backend share.
///
/// Libraries are never unloaded, so a `CUDADriver` may be kept for the life of the process.
public final class CUDADriver: @unchecked Sendable {
    /// The library name or path that loaded.
    public let path: String
    /// The CUDA version the driver supports (`cuDriverGetVersion`; 12040 for 12.4).
    public let version: Int32
    let api: CUDADriverAPI
    /// Stream capture and graphs; nil when the driver predates them (CUDA < 11.4).
    let graphs: CUDAGraphAPI?
    private let library: DynamicLibrary

    private init(library: DynamicLibrary, api: CUDADriverAPI, graphs: CUDAGraphAPI?, version: Int32) {
        self.library = library
        self.api = api
        self.graphs = graphs
        self.version = version
        path = library.path
    }

    /// Opens the first loadable candidate, resolves the table and initialises the driver.
    /// - Throws: `CUDALoadError.libraryNotFound`, `.symbolMissing`, or `.callFailed` (`cuInit` fails with
    ///   `CUDA_ERROR_NO_DEVICE` when the driver is installed but sees no GPU).
    public static func load(candidates: [String]) throws -> CUDADriver {
        #if os(macOS) || os(iOS)
            if candidates.isEmpty { throw CUDALoadError.unsupportedPlatform("macOS") }
        #endif
        let library: DynamicLibrary
        switch DynamicLibrary.open(candidates) {
        case .success(let opened): library = opened
        case .failure(let why):
            throw CUDALoadError.libraryNotFound(library: "NVIDIA driver library", tried: why.message)
        }
        let api = try CUDADriverAPI(library)
        let initialized = api.initialize(0)
        if initialized == 100 { throw CUDALoadError.noDevice }  // CUDA_ERROR_NO_DEVICE
        guard initialized == 0 else {
            throw CUDALoadError.callFailed(call: "cuInit", code: initialized, name: api.errorName(initialized))
        }
        var version: Int32 = 0
        let code = api.driverGetVersion(&version)
        guard code == 0 else {
            throw CUDALoadError.callFailed(call: "cuDriverGetVersion", code: code, name: api.errorName(code))
        }
        let graphs = try? CUDAGraphAPI(library)
        return CUDADriver(library: library, api: api, graphs: graphs, version: version)
    }

    /// Throws `CUDAError.driver` naming `call` when `code` is not `CUDA_SUCCESS`.
    func check(_ code: Int32, _ call: String) throws {
        guard code != 0 else { return }
        throw CUDAError.driver(call: call, code: code, name: api.errorName(code))
    }

    /// The number of CUDA devices.
    public func deviceCount() throws -> Int {
        var count: Int32 = 0
        try check(api.deviceGetCount(&count), "cuDeviceGetCount")
        return Int(count)
    }

    /// Name, compute capability and memory of device `ordinal` (retains its primary context briefly to read the
    /// free memory).
    public func deviceInfo(ordinal: Int) throws -> CUDADeviceInfo {
        let count = try deviceCount()
        var device: Int32 = 0
        try check(api.deviceGet(&device, Int32(ordinal)), "cuDeviceGet")
        var nameBytes = [CChar](repeating: 0, count: 256)
        try check(api.deviceGetName(&nameBytes, Int32(nameBytes.count - 1), device), "cuDeviceGetName")
        let name = String(decoding: nameBytes.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        func attribute(_ number: Int32) throws -> Int {
            var value: Int32 = 0
            try check(api.deviceGetAttribute(&value, number, device), "cuDeviceGetAttribute(\(number))")
            return Int(value)
        }
        let major = try attribute(CUDADeviceAttribute.computeCapabilityMajor)
        let minor = try attribute(CUDADeviceAttribute.computeCapabilityMinor)
        let multiprocessors = try attribute(CUDADeviceAttribute.multiprocessorCount)
        var total = 0
        try check(api.deviceTotalMem(&total, device), "cuDeviceTotalMem_v2")
        var context: OpaquePointer?
        try check(api.primaryCtxRetain(&context, device), "cuDevicePrimaryCtxRetain")
        defer { _ = api.primaryCtxRelease(device) }
        try check(api.ctxSetCurrent(context), "cuCtxSetCurrent")
        var free = 0, totalSeen = 0
        try check(api.memGetInfo(&free, &totalSeen), "cuMemGetInfo_v2")
        _ = api.ctxSetCurrent(nil)
        return CUDADeviceInfo(
            ordinal: ordinal, deviceCount: count, name: name, computeCapabilityMajor: major,
            computeCapabilityMinor: minor, multiprocessors: multiprocessors, totalMemory: total, freeMemory: free,
            driverVersion: version)
    }
}
