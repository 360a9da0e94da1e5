import Foundation
import VVCompute

/// The CUDA implementation of `ComputeBackend`: device memory from a size-class pool, one non-blocking stream, and
/// the CUDA C kernels of `Kernels/` compiled by NVRTC for the device on first use (cached on disk), or taken from the
/// embedded PTX when the machine has no NVRTC.
///
/// **Not yet run on a GPU.** It was written and compiled on a machine without one: its kernels are checked to
/// compile with NVRTC 12 and 13 for every architecture from the oldest to the newest, and its host logic (argument
/// packing, memory pool, fallback reasons) is unit-tested, but no kernel has executed. `vibevoice selftest` compares
/// every op with the CPU backend on the first machine that has a GPU; trust results only after it passes there.
///
/// Differences from the CPU backend, by design: positions, ids and allowed ids live on the device and are not range
/// checked (the CPU backend throws; here an out-of-range KV position is skipped, an out-of-range id gives a zero
/// row); weights are always copied to the device (`owner` is ignored).
public final class CUDABackend: ComputeBackend, @unchecked Sendable {
    /// `cuda:<ordinal>`.
    public let name: String
    /// The device in use.
    public let device: CUDADeviceInfo
    /// Where the kernels come from (`NVRTC 12.9 (libnvrtc.so.12)`, or the embedded PTX when there is no NVRTC).
    public let compilerDescription: String
    /// What the kernels are compiled to.
    public let target: KernelTarget
    let driver: CUDADriver
    let stream: OpaquePointer?
    let pool: CUDAMemoryPool
    let modules: CUDAModules
    /// The NVRTC compiler and its disk cache (its `statistics` count cache hits and compilations); nil when the
    /// kernels come from the embedded PTX.
    public let kernelCompiler: KernelCompiler?
    /// The device's main backend when this one serves a single request (`makeRequestBackend()`); kept alive here
    /// because it owns the context.
    let parent: CUDABackend?
    /// The arena of the graph being recorded, while `beginCapture()` is in force.
    var arena: CUDAGraphArena?
    private let context: OpaquePointer?
    private let deviceHandle: Int32

    /// Loads the libraries, opens device `gpuID` (its primary context) and prepares the kernel compiler.
    /// - Parameters:
    ///   - cacheDirectory: where compiled kernels are kept (nil: compile every start).
    /// - Throws: `CUDALoadError` naming the missing piece (driver, device, NVRTC…), or `CUDAError` from the driver.
    public static func load(
        gpuID: Int = 0, libraries: CUDALibraryCandidates = .fromEnvironment(ProcessInfo.processInfo.environment),
        cacheDirectory: String? = KernelCache.defaultDirectory(environment: ProcessInfo.processInfo.environment)
    ) throws -> CUDABackend {
        let selection = try CUDAProbe.select(gpuID: gpuID, libraries: libraries)
        return try CUDABackend(selection: selection, cache: cacheDirectory.map(KernelCache.init(directory:)))
    }

    private init(selection: CUDAProbe.Selection, cache: KernelCache?) throws {
        driver = selection.driver
        device = selection.device
        target = selection.target
        compilerDescription = selection.compiler
        name = "cuda:\(selection.device.ordinal)"
        parent = nil
        let api = driver.api
        var handle: Int32 = 0
        try driver.check(api.deviceGet(&handle, Int32(selection.device.ordinal)), "cuDeviceGet")
        deviceHandle = handle
        var context: OpaquePointer?
        try driver.check(api.primaryCtxRetain(&context, handle), "cuDevicePrimaryCtxRetain")
        self.context = context
        try driver.check(api.ctxSetCurrent(context), "cuCtxSetCurrent")
        stream = try Self.makeStream(driver)
        pool = Self.makePool(driver, context: context, stream: stream, parent: nil)
        kernelCompiler = selection.nvrtc.map { KernelCompiler(nvrtc: $0, cache: cache) }
        modules = CUDAModules(driver: driver, compiler: kernelCompiler, target: selection.target)
    }

    /// A backend for one request: the same device, context, kernels and weights, its own stream and pool.
    private init(requestOf main: CUDABackend) throws {
        driver = main.driver
        device = main.device
        target = main.target
        compilerDescription = main.compilerDescription
        name = main.name
        kernelCompiler = main.kernelCompiler
        modules = main.modules
        context = main.context
        deviceHandle = main.deviceHandle
        parent = main
        try driver.check(driver.api.ctxSetCurrent(context), "cuCtxSetCurrent")
        stream = try Self.makeStream(driver)
        pool = Self.makePool(driver, context: context, stream: stream, parent: main.pool)
    }

    private static func makeStream(_ driver: CUDADriver) throws -> OpaquePointer? {
        var stream: OpaquePointer?
        try driver.check(driver.api.streamCreate(&stream, 1), "cuStreamCreate")  // CU_STREAM_NON_BLOCKING
        return stream
    }

    private static func makePool(
        _ driver: CUDADriver, context: OpaquePointer?, stream: OpaquePointer?, parent: CUDAMemoryPool?
    ) -> CUDAMemoryPool {
        let api = driver.api
        return CUDAMemoryPool(
            allocate: { bytes in
                _ = api.ctxSetCurrent(context)
                var address: UInt64 = 0
                let code = api.memAlloc(&address, bytes)
                return (address, code)
            },
            free: { address in
                _ = api.ctxSetCurrent(context)
                _ = api.memFree(address)
            },
            synchronize: {
                _ = api.ctxSetCurrent(context)
                _ = api.streamSynchronize(stream)
            },
            parent: parent)
    }

    deinit {
        _ = driver.api.ctxSetCurrent(context)
        if parent != nil {
            pool.retire()  // waits for the stream; its blocks become idle blocks of the device's pool
            _ = driver.api.streamDestroy(stream)
        } else {
            _ = driver.api.streamSynchronize(stream)
            pool.trim()
            _ = driver.api.streamDestroy(stream)
            _ = driver.api.primaryCtxRelease(deviceHandle)
        }
    }

    /// A backend with its own stream and memory cache for one request (see `ComputeBackend.makeRequestBackend`).
    /// Waits first for the work queued here, so the new stream sees every weight uploaded so far.
    public func makeRequestBackend() throws -> any ComputeBackend {
        try synchronize()
        return try CUDABackend(requestOf: parent ?? self)
    }

    /// Compiles or loads every kernel family now (otherwise each is built on its first use).
    public func prepareKernels() throws {
        try makeCurrent()
        try modules.loadAll()
    }

    // MARK: - Plumbing shared by the op files

    /// Binds the device's context to the calling thread (tasks move between threads).
    func makeCurrent() throws { try driver.check(driver.api.ctxSetCurrent(context), "cuCtxSetCurrent") }

    /// The device address of a tensor's first element.
    func address(_ tensor: Tensor, _ op: String) throws -> UInt64 {
        guard let buffer = tensor.buffer as? CUDABuffer else { throw ComputeError.foreignTensor(op: op) }
        return buffer.address + UInt64(tensor.byteOffset)
    }

    /// The address of an f32 tensor (checking its dtype).
    func floats(_ tensor: Tensor, _ op: String) throws -> UInt64 {
        guard tensor.dtype == .f32 else { throw ComputeError.unsupportedDType(op: op, dtype: tensor.dtype) }
        return try address(tensor, op)
    }

    /// The kernel name suffix for a weight dtype (`f32`, `bf16`, `f16`).
    func suffix(_ dtype: DType, _ op: String) throws -> String {
        guard dtype != .i32 else { throw ComputeError.unsupportedDType(op: op, dtype: dtype) }
        return dtype.rawValue
    }

    /// A new uninitialised tensor (while recording a graph, in the graph's arena).
    func allocate(_ shape: Shape, dtype: DType = .f32) throws -> Tensor {
        let bytes = shape.elementCount * dtype.byteSize
        let owner: any CUDABlockOwner = arena ?? pool
        let block = try arena?.take(bytes) ?? pool.take(bytes)
        let buffer = CUDABuffer(address: block.address, byteCount: bytes, blockSize: block.blockSize, owner: owner)
        return Tensor(shape: shape, dtype: dtype, buffer: buffer)
    }

    /// Blocks for a grid-stride kernel over `count` items with `block` threads each (at least 1, at most 65535).
    static func grid(_ count: Int, block: Int = 256) -> Int { max(1, min((count + block - 1) / block, 65_535)) }

    /// Launches `entry` of `family` on the stream.
    func launch(
        _ family: CUDAKernelFamily, _ entry: String, grid: Int, block: Int, _ arguments: KernelArguments
    ) throws {
        let function = try modules.function(family, entry)
        let code = arguments.withParameterArray { parameters in
            driver.api.launchKernel(
                function, UInt32(grid), 1, 1, UInt32(block), 1, 1, 0, stream, parameters, nil)
        }
        try driver.check(code, "cuLaunchKernel(\(entry))")
    }

    // MARK: - Memory and transfers

    /// A zero-filled tensor.
    public func zeros(_ shape: Shape, dtype: DType) throws -> Tensor {
        try makeCurrent()
        let tensor = try allocate(shape, dtype: dtype)
        if tensor.byteCount > 0 {
            try driver.check(
                driver.api.memsetD8Async(try address(tensor, "zeros"), 0, tensor.byteCount, stream), "cuMemsetD8Async")
        }
        return tensor
    }

    /// Copies host floats into a new f32 tensor.
    public func upload(_ values: [Float], shape: Shape) throws -> Tensor {
        guard values.count == shape.elementCount else {
            throw ComputeError.invalidArgument(op: "upload", reason: "\(values.count) values for shape \(shape)")
        }
        return try values.withUnsafeBytes { try upload(bytes: $0, dtype: .f32, shape: shape, owner: nil) }
    }

    /// Copies host integers into a new i32 tensor.
    public func uploadInt32(_ values: [Int32], shape: Shape) throws -> Tensor {
        guard values.count == shape.elementCount else {
            throw ComputeError.invalidArgument(op: "upload", reason: "\(values.count) values for shape \(shape)")
        }
        return try values.withUnsafeBytes { try upload(bytes: $0, dtype: .i32, shape: shape, owner: nil) }
    }

    /// Copies raw little-endian bytes to the device (always a copy; `owner` is not needed afterwards).
    ///
    /// The copy from pageable memory has finished reading `bytes` when this returns. While recording a graph the
    /// bytes become a constant of the graph (copied now, synchronously, into a block of their own).
    public func upload(bytes: UnsafeRawBufferPointer, dtype: DType, shape: Shape, owner: AnyObject?) throws -> Tensor {
        guard bytes.count == shape.elementCount * dtype.byteSize else {
            throw ComputeError.invalidArgument(op: "upload", reason: "\(bytes.count) bytes for \(dtype)\(shape)")
        }
        try makeCurrent()
        if let arena { return try uploadConstant(bytes, dtype: dtype, shape: shape, arena: arena) }
        let tensor = try allocate(shape, dtype: dtype)
        if bytes.count > 0 {
            try driver.check(
                driver.api.memcpyHtoDAsync(try address(tensor, "upload"), bytes.baseAddress, bytes.count, stream),
                "cuMemcpyHtoDAsync_v2")
        }
        return tensor
    }

    /// Converts to f32 on the device if needed, copies to the host and waits.
    public func download(_ tensor: Tensor) throws -> [Float] {
        if tensor.dtype == .i32 { return try downloadInt32(tensor).map(Float.init) }
        var source = tensor
        if tensor.dtype != .f32 {
            source = try allocate(tensor.shape)
            try copy(tensor, into: source)
        }
        var values = [Float](repeating: 0, count: tensor.elementCount)
        try read(source, into: &values)
        return values
    }

    /// Copies an i32 tensor to the host and waits.
    public func downloadInt32(_ tensor: Tensor) throws -> [Int32] {
        guard tensor.dtype == .i32 else {
            throw ComputeError.unsupportedDType(op: "downloadInt32", dtype: tensor.dtype)
        }
        var values = [Int32](repeating: 0, count: tensor.elementCount)
        try read(tensor, into: &values)
        return values
    }

    private func read<T>(_ tensor: Tensor, into values: inout [T]) throws {
        try refuseWhileCapturing("download")
        try makeCurrent()
        let source = try address(tensor, "download")
        let count = tensor.byteCount
        if count > 0 {
            let code = values.withUnsafeMutableBytes {
                driver.api.memcpyDtoHAsync($0.baseAddress, source, count, stream)
            }
            try driver.check(code, "cuMemcpyDtoHAsync_v2")
        }
        try synchronize()
    }

    /// Waits for all queued work on the stream.
    public func synchronize() throws {
        try refuseWhileCapturing("synchronize")
        try makeCurrent()
        try driver.check(driver.api.streamSynchronize(stream), "cuStreamSynchronize")
    }
}
