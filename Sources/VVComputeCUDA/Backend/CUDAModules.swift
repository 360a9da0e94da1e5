import Foundation

/// The compiled kernel families of one device, loaded into its context on first use, with their functions.
///
/// Images come from the `KernelCompiler` (NVRTC plus the disk cache) or, without one, from `EmbeddedPTX`. A module
/// image from the disk cache that the driver rejects (written by another NVRTC, truncated) is deleted, recompiled
/// and loaded once more. Thread-safe.
final class CUDAModules: @unchecked Sendable {
    private let driver: CUDADriver
    private let compiler: KernelCompiler?
    private let target: KernelTarget
    private let lock = NSLock()
    private var functions: [String: OpaquePointer] = [:]
    private var loaded: Set<CUDAKernelFamily> = []

    init(driver: CUDADriver, compiler: KernelCompiler?, target: KernelTarget) {
        self.driver = driver
        self.compiler = compiler
        self.target = target
    }

    /// The function `entry` of `family` (compiling and loading the family the first time).
    func function(_ family: CUDAKernelFamily, _ entry: String) throws -> OpaquePointer {
        lock.lock()
        defer { lock.unlock() }
        if !loaded.contains(family) { try load(family) }
        guard let function = functions[entry] else {
            throw CUDAError.missingEntryPoint(kernel: family.fileName, entry: entry)
        }
        return function
    }

    /// Compiles (or reads from the cache) and loads every family now, so first requests do not wait for NVRTC.
    func loadAll() throws {
        lock.lock()
        defer { lock.unlock() }
        for family in CUDAKernelFamily.allCases where !loaded.contains(family) { try load(family) }
    }

    private func load(_ family: CUDAKernelFamily) throws {
        var module: OpaquePointer?
        var code: Int32
        if let compiler {
            var compiled = try compiler.compile(family, target: target)
            code = loadModule(compiled.image, &module)
            if code != 0, compiled.fromCache {
                compiler.cache?.remove(family: family, target: target, key: compiled.cacheKey)
                compiled = try compiler.compile(family, target: target)
                code = loadModule(compiled.image, &module)
            }
        } else {
            code = loadModule(try EmbeddedPTX.image(family), &module)
        }
        try driver.check(code, "cuModuleLoadData(\(family.fileName), \(target))")
        for entry in family.entryPoints {
            var function: OpaquePointer?
            try driver.check(driver.api.moduleGetFunction(&function, module, entry), "cuModuleGetFunction(\(entry))")
            guard let function else { throw CUDAError.missingEntryPoint(kernel: family.fileName, entry: entry) }
            functions[entry] = function
        }
        loaded.insert(family)
    }

    private func loadModule(_ image: [UInt8], _ module: inout OpaquePointer?) -> Int32 {
        var bytes = image
        if case .ptx = target { bytes.append(0) }  // the driver reads PTX as a NUL-terminated string
        return bytes.withUnsafeBytes { raw in
            guard let base = raw.baseAddress else { return 1 }
            return driver.api.moduleLoadData(&module, base)
        }
    }
}
