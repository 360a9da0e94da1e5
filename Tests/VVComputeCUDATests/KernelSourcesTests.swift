import Foundation
import Testing

@testable import VVComputeCUDA

@Suite("CUDA kernel sources")
struct KernelSourcesTests {
    private let kernels = NVRTCFixture.repositoryRoot.appendingPathComponent("Sources/VVComputeCUDA/Kernels")

    private func read(_ name: String) throws -> String {
        try String(contentsOf: kernels.appendingPathComponent(name), encoding: .utf8)
    }

    @Test func generatedFileMatchesTheKernelFiles() throws {
        let onDisk = try FileManager.default.contentsOfDirectory(atPath: kernels.path).filter { $0.hasSuffix(".cu") }
        #expect(Set(onDisk) == Set(KernelSources.files.keys), "run python3 scripts/embed_cuda_kernels.py")
        for name in onDisk {
            #expect(
                KernelSources.files[name] == (try read(name)),
                "\(name) changed: run python3 scripts/embed_cuda_kernels.py")
        }
        #expect(
            KernelSources.prelude == (try read("common.cuh")), "common.cuh changed: run scripts/embed_cuda_kernels.py")
    }

    @Test func everyFileIsAFamilyAndEveryFamilyHasAFile() {
        #expect(Set(CUDAKernelFamily.allCases.map(\.fileName)) == Set(KernelSources.files.keys))
    }

    @Test func entryPointsDeclaredInEachFileAreTheOnesTheBackendLaunches() {
        for family in CUDAKernelFamily.allCases {
            #expect(Set(KernelSources.entryPoints[family.fileName] ?? []) == Set(family.entryPoints), "\(family)")
        }
    }

    @Test func sourcesAreSelfContained() {
        for (name, text) in KernelSources.files.merging(
            ["common.cuh": KernelSources.prelude], uniquingKeysWith: { a, _ in a })
        {
            let includes = text.split(separator: "\n").filter {
                $0.trimmingCharacters(in: .whitespaces).hasPrefix("#include")
            }
            #expect(includes.isEmpty, "\(name) includes a header; the kernels must not need the CUDA SDK")
        }
    }
}
