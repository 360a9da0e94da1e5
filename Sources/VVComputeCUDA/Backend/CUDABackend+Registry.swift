import Foundation
import VVCompute

extension CUDABackend {
    /// The `BackendRegistry` entry for CUDA: named `"cuda"`, tried before lower priorities (the CPU), and when it
    /// cannot load, the registry logs `compute backend 'cuda' unavailable: <one-line CUDALoadError>` and moves on.
    public static func registryCandidate(
        gpuID: Int, priority: Int = 10,
        libraries: CUDALibraryCandidates = .fromEnvironment(ProcessInfo.processInfo.environment)
    ) -> BackendRegistry.Candidate {
        BackendRegistry.Candidate(name: "cuda", priority: priority) {
            try CUDABackend.load(gpuID: gpuID, libraries: libraries)
        }
    }
}
