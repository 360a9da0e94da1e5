import Foundation
import Testing
import VVCompute
import VVComputeCPU

@testable import VVComputeCUDA

/// The stand-in libcuda built by `scripts/fake_cuda_driver.sh`, named by `VV_FAKE_CUDA_DRIVER`.
enum FakeDriver {
    static let path: String? = {
        let path = ProcessInfo.processInfo.environment["VV_FAKE_CUDA_DRIVER"].flatMap { $0.isEmpty ? nil : $0 }
        if path == nil {
            print(
                "SKIPPED (CUDA backend on the emulated driver): VV_FAKE_CUDA_DRIVER not set; run scripts/fake_cuda_driver.sh"
            )
        }
        return path
    }()

    static func libraries(nvrtc: [String] = NVRTCFixture.candidates) -> CUDALibraryCandidates {
        CUDALibraryCandidates(driver: [path ?? ""], nvrtc: nvrtc, cublas: [])
    }
}

/// `CUDABackend` end to end on GPU-less machines.
///
/// The real host code (probe, context, stream, memory pool,
/// argument packing, launches, transfers) against a stand-in driver that runs the real kernels on the CPU under the
/// host emulation. Kernels still go through NVRTC (the image is compiled and cached, then ignored by the stand-in).
@Suite(
    "CUDA backend on the emulated driver",
    .enabled(if: FakeDriver.path != nil, "VV_FAKE_CUDA_DRIVER not set (see the SKIPPED line)"), .serialized)
struct FakeDriverTests {
    private func cacheDirectory() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("vv-fake-cuda-\(UUID().uuidString)").path
    }

    @Test func probeReportsTheEmulatedDevice() throws {
        let availability = CUDAProbe.probe(libraries: FakeDriver.libraries())
        guard case .available(let device, _, let target) = availability else {
            Issue.record("unavailable: \(availability)")
            return
        }
        #expect(device.name == "vibevoice emulated GPU")
        #expect(device.architecture == 80)
        #expect(device.totalMemory == 8 << 30 && device.freeMemory == 7 << 30)
        if NVRTCFixture.available { #expect(target == .cubin(architecture: 80)) }
        #expect(
            CUDAProbe.probe(gpuID: 1, libraries: FakeDriver.libraries()).reason
                == "device.gpu_id 1 is out of range: 1 CUDA device(s) found")
    }

    @Test(.enabled(if: NVRTCFixture.available, "no NVRTC library (see the SKIPPED line)"))
    func everyOpMatchesTheCPUBackendThroughNVRTCBuiltKernels() throws {
        let directory = cacheDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let backend = try CUDABackend.load(libraries: FakeDriver.libraries(), cacheDirectory: directory)
        #expect(backend.name == "cuda:0")
        #expect(backend.compilerDescription.hasPrefix("NVRTC "))
        try backend.prepareKernels()
        #expect(backend.kernelCompiler?.statistics.misses == CUDAKernelFamily.allCases.count)
        let results = BackendSelfTest.run(candidate: backend, reference: CPUBackend())
        for failed in results where !failed.passed { Issue.record("\(failed)") }
        #expect(results.count >= 36)
        print(BackendSelfTest.table(results))
        let again = try CUDABackend.load(libraries: FakeDriver.libraries(), cacheDirectory: directory)
        try again.prepareKernels()
        #expect(again.kernelCompiler?.statistics.hits == CUDAKernelFamily.allCases.count)
    }

    @Test func withoutNVRTCTheEmbeddedPTXIsUsed() throws {
        let backend = try CUDABackend.load(
            libraries: FakeDriver.libraries(nvrtc: ["/nonexistent/libnvrtc.so.12"]), cacheDirectory: nil)
        #expect(backend.kernelCompiler == nil)
        #expect(backend.target == .ptx(architecture: 50))
        #expect(
            backend.compilerDescription.hasPrefix(
                "embedded PTX (NVRTC 12.0, compute_50), JIT-compiled by the driver; no NVRTC: NVRTC library not found (tried /nonexistent/libnvrtc.so.12: "
            ))
        let results = BackendSelfTest.run(candidate: backend, reference: CPUBackend(), filter: "attention")
        #expect(!results.isEmpty && results.allSatisfy(\.passed))
    }

    @Test func theComputeLayersConformanceHarnessPasses() throws {
        let backend = try CUDABackend.load(
            libraries: FakeDriver.libraries(nvrtc: ["/nonexistent/libnvrtc.so.12"]), cacheDirectory: nil)
        let results = try BackendConformance.run(backend)
        for failed in results where !failed.passed { Issue.record("\(failed)") }
        #expect(results.count > 30)
    }

    @Test func viewsOffsetsAndDtypeRoundTrips() throws {
        let backend = try CUDABackend.load(
            libraries: FakeDriver.libraries(nvrtc: ["/nonexistent/libnvrtc.so.12"]), cacheDirectory: nil)
        let x = try backend.upload((0..<12).map(Float.init), shape: [4, 3])
        #expect(try backend.download(x.rows(1..<3)) == [3, 4, 5, 6, 7, 8])
        let half = try backend.zeros([4, 3], dtype: .bf16)
        try backend.copy(x, into: half)
        #expect(try backend.download(half) == (0..<12).map(Float.init))
        #expect(try backend.downloadInt32(backend.uploadInt32([7, -1, 3], shape: [3])) == [7, -1, 3])
        #expect(try backend.download(backend.zeros([5], dtype: .f32)) == [0, 0, 0, 0, 0])
        #expect(throws: ComputeError.self) { try backend.linear(x, weight: x.reshaped([3, 4]), bias: nil) }
        #expect(throws: ComputeError.foreignTensor(op: "scale")) {
            try backend.scale(CPUBackend().upload([1], shape: [1]), by: 2)
        }
    }
}
