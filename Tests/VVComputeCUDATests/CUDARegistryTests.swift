import Testing
import VVCompute
import VVComputeCPU

@testable import VVComputeCUDA

@Suite("CUDA in the backend registry")
struct CUDARegistryTests {
    @Test func withoutADriverTheRegistryFallsBackToTheCPUAndLogsOneLine() throws {
        var registry = BackendRegistry()
        registry.register(.init(name: "cpu", priority: 0) { CPUBackend(threads: 1) })
        registry.register(
            CUDABackend.registryCandidate(
                gpuID: 0,
                libraries: CUDALibraryCandidates(driver: ["/nonexistent/libcuda.so.1"], nvrtc: [], cublas: [])))
        var lines: [String] = []
        let backend = try registry.makeBackend { lines.append($0) }
        #expect(backend.name == "cpu")
        #expect(lines.count == 1)
        #expect(
            lines.first?.hasPrefix(
                "compute backend 'cuda' unavailable: NVIDIA driver library not found (tried /nonexistent/libcuda.so.1: "
            )
                == true)
        #expect(lines.first?.contains("\n") == false)
    }
}
