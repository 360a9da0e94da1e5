import Foundation

/// A kernel family compiled for one target.
public struct CompiledKernel: Sendable {
    /// Which family.
    public let family: CUDAKernelFamily
    /// For what.
    public let target: KernelTarget
    /// PTX text (no trailing NUL) or CUBIN bytes.
    public let image: [UInt8]
    /// The cache key it was stored under.
    public let cacheKey: String
    /// True when it came from the disk cache instead of NVRTC.
    public let fromCache: Bool
}

/// Compiles kernel families with NVRTC on first use and keeps the results in a `KernelCache` (when given).
///
/// Safe to call from several threads (NVRTC calls are serialised by `NVRTC`; counters by a lock).
public final class KernelCompiler: @unchecked Sendable {
    /// The options every family is compiled with (part of the cache key).
    ///
    /// fp32 math is IEEE (no fast-math), so
    /// the kernels match the CPU backend to rounding.
    public static let options = ["--fmad=true", "--prec-div=true", "--prec-sqrt=true"]

    /// The compiler.
    public let nvrtc: NVRTC
    /// The disk cache, or nil to always compile.
    public let cache: KernelCache?
    private let lock = NSLock()
    private var counts = (hits: 0, misses: 0)

    /// A compiler using `nvrtc`, caching in `cache`.
    public init(nvrtc: NVRTC, cache: KernelCache?) {
        self.nvrtc = nvrtc
        self.cache = cache
    }

    /// Cache hits and misses so far (a miss is a compilation).
    public var statistics: (hits: Int, misses: Int) {
        lock.lock()
        defer { lock.unlock() }
        return counts
    }

    /// The cache key `family` has for `target` with this NVRTC.
    public func cacheKey(_ family: CUDAKernelFamily, target: KernelTarget) -> String {
        KernelCache.key(source: family.source, target: target, nvrtcVersion: nvrtc.versionText, options: Self.options)
    }

    /// `family` compiled for `target`, from the cache when present; a fresh compilation is stored in the cache
    /// (a failure to store is ignored: the kernel is still usable, only the next start recompiles).
    /// - Throws: `CUDAError.compilationFailed` or `CUDAError.nvrtc`.
    public func compile(_ family: CUDAKernelFamily, target: KernelTarget) throws -> CompiledKernel {
        let key = cacheKey(family, target: target)
        if let cache, let image = cache.load(family: family, target: target, key: key) {
            count(hit: true)
            return CompiledKernel(family: family, target: target, image: image, cacheKey: key, fromCache: true)
        }
        let image = try nvrtc.compile(
            source: family.source, name: family.fileName, target: target, options: Self.options)
        count(hit: false)
        try? cache?.store(image, family: family, target: target, key: key)
        return CompiledKernel(family: family, target: target, image: image, cacheKey: key, fromCache: false)
    }

    private func count(hit: Bool) {
        lock.lock()
        defer { lock.unlock() }
        if hit { counts.hits += 1 } else { counts.misses += 1 }
    }
}
