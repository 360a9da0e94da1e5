import Foundation
import Testing

@testable import VVComputeCUDA

@Suite("CUDA kernel cache")
struct KernelCacheTests {
    private func temporaryDirectory() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("vv-kernel-cache-\(UUID().uuidString)").path
    }

    @Test func keyChangesWithSourceArchitectureVersionAndOptions() {
        let base = KernelCache.key(source: "a", target: .ptx(architecture: 80), nvrtcVersion: "12.9", options: ["-x"])
        #expect(base.count == 64)
        #expect(
            base == KernelCache.key(source: "a", target: .ptx(architecture: 80), nvrtcVersion: "12.9", options: ["-x"]))
        let variants = [
            KernelCache.key(source: "b", target: .ptx(architecture: 80), nvrtcVersion: "12.9", options: ["-x"]),
            KernelCache.key(source: "a", target: .ptx(architecture: 90), nvrtcVersion: "12.9", options: ["-x"]),
            KernelCache.key(source: "a", target: .cubin(architecture: 80), nvrtcVersion: "12.9", options: ["-x"]),
            KernelCache.key(source: "a", target: .ptx(architecture: 80), nvrtcVersion: "13.0", options: ["-x"]),
            KernelCache.key(source: "a", target: .ptx(architecture: 80), nvrtcVersion: "12.9", options: ["-y"]),
        ]
        #expect(Set(variants + [base]).count == 6)
    }

    @Test func defaultDirectoryFollowsTheEnvironment() {
        #expect(KernelCache.defaultDirectory(environment: ["VV_CUDA_CACHE_DIR": "/tmp/k", "HOME": "/h"]) == "/tmp/k")
        #if !os(Windows)
            #expect(
                KernelCache.defaultDirectory(environment: ["XDG_CACHE_HOME": "/x", "HOME": "/h"])
                    == "/x/vibevoice/cuda-kernels")
            #expect(KernelCache.defaultDirectory(environment: ["HOME": "/h"]) == "/h/.cache/vibevoice/cuda-kernels")
            #expect(KernelCache.defaultDirectory(environment: [:]) == nil)
        #endif
    }

    @Test func storeThenLoadRoundTripsAndNamesTheFileByFamilyTargetAndKey() throws {
        let cache = KernelCache(directory: temporaryDirectory() + "/nested")
        defer { try? FileManager.default.removeItem(atPath: cache.directory) }
        #expect(cache.load(family: .rope, target: .ptx(architecture: 80), key: "k1") == nil)
        try cache.store([1, 2, 3], family: .rope, target: .ptx(architecture: 80), key: "k1")
        #expect(cache.load(family: .rope, target: .ptx(architecture: 80), key: "k1") == [1, 2, 3])
        #expect(cache.load(family: .rope, target: .ptx(architecture: 80), key: "k2") == nil)
        #expect(
            cache.path(family: .rope, target: .ptx(architecture: 80), key: "k1").hasSuffix("/rope-compute_80-k1.ptx"))
        let files = try FileManager.default.contentsOfDirectory(atPath: cache.directory)
        #expect(files == ["rope-compute_80-k1.ptx"])
        cache.remove(family: .rope, target: .ptx(architecture: 80), key: "k1")
        #expect(cache.load(family: .rope, target: .ptx(architecture: 80), key: "k1") == nil)
    }

    @Test(.enabled(if: NVRTCFixture.available, "no NVRTC library (see the SKIPPED line)"))
    func compilerMissesOnceThenHitsAndRecompilesWhenTheFileIsEmptied() throws {
        let nvrtc = try #require(NVRTCFixture.nvrtc)
        let cache = KernelCache(directory: temporaryDirectory())
        defer { try? FileManager.default.removeItem(atPath: cache.directory) }
        let target = KernelTarget.ptx(architecture: try #require(nvrtc.supportedArchitectures.last))
        let first = try KernelCompiler(nvrtc: nvrtc, cache: cache).compile(.elementwise, target: target)
        #expect(!first.fromCache)
        #expect(
            first.cacheKey
                == KernelCache.key(
                    source: CUDAKernelFamily.elementwise.source, target: target, nvrtcVersion: nvrtc.versionText,
                    options: KernelCompiler.options))
        let second = KernelCompiler(nvrtc: nvrtc, cache: cache)
        let again = try second.compile(.elementwise, target: target)
        #expect(again.fromCache)
        #expect(again.image == first.image)
        #expect(second.statistics.hits == 1 && second.statistics.misses == 0)
        let file = cache.path(family: .elementwise, target: target, key: first.cacheKey)
        try Data().write(to: URL(fileURLWithPath: file))
        let rebuilt = try second.compile(.elementwise, target: target)
        #expect(!rebuilt.fromCache)
        #expect(second.statistics.misses == 1)
        #expect(cache.load(family: .elementwise, target: target, key: first.cacheKey) == first.image)
        let other = try second.compile(.rope, target: target)
        #expect(!other.fromCache && other.cacheKey != first.cacheKey)
    }

    @Test(.enabled(if: NVRTCFixture.available, "no NVRTC library (see the SKIPPED line)"))
    func compilerWithoutCacheAlwaysCompiles() throws {
        let nvrtc = try #require(NVRTCFixture.nvrtc)
        let compiler = KernelCompiler(nvrtc: nvrtc, cache: nil)
        let target = KernelTarget.ptx(architecture: try #require(nvrtc.supportedArchitectures.last))
        _ = try compiler.compile(.norm, target: target)
        _ = try compiler.compile(.norm, target: target)
        #expect(compiler.statistics.misses == 2 && compiler.statistics.hits == 0)
    }
}
