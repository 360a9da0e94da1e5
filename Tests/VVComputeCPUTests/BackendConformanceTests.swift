import Foundation
import Testing
import VVCompute
import VVComputeCPU

struct BackendConformanceTests {
    /// The AVX2 kernels, multithreaded, against the portable kernels on every op: fp32 tolerance 1e-4 (scaled).
    @Test func avx2BackendConformsToPortableReference() throws {
        guard CPUBackend.ISA.detected == .avx2 else {
            print("SKIPPED avx2BackendConformsToPortableReference: no AVX2 on this CPU (the portable kernels are the reference)")
            return
        }
        let results = try BackendConformance.run(CPUBackend(threads: 2, isa: .avx2))
        #expect(results.count >= 30)
        if ProcessInfo.processInfo.environment["VV_PRINT_ERRORS"] != nil { results.forEach { print($0) } }
        for result in results { #expect(result.passed, "\(result)") }
    }

    /// The harness measures: held to a zero tolerance, the reordered AVX2 arithmetic shows up somewhere.
    @Test func harnessDetectsDifferences() throws {
        guard CPUBackend.ISA.detected == .avx2 else { return }
        let results = try BackendConformance.run(CPUBackend(threads: 2, isa: .avx2), tolerance: 0)
        #expect(results.contains { !$0.passed })
        #expect(results.contains { $0.passed })  // exact ops (copies, concat, argmax) match bit for bit
    }
}
