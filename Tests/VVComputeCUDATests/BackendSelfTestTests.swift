import Testing
import VVCompute
import VVComputeCPU

@testable import VVComputeCUDA

/// The self-test harness itself, proven without a GPU: the CPU's vectorised kernels against its portable ones must
/// pass every row, and injected faults must fail exactly their rows.
@Suite("Backend self-test harness")
struct BackendSelfTestTests {
    @Test func cpuAgainstPortableCPUPassesEveryOp() {
        let results = BackendSelfTest.run(candidate: CPUBackend(), reference: CPUBackend(threads: 1, isa: .scalar))
        for failed in results where !failed.passed { Issue.record("\(failed)") }
        let ops = Set(results.map { $0.op.split(separator: " ").first.map(String.init) ?? "" })
        for op in [
            "linear", "embedding", "rmsNorm", "rope", "writeKV", "siluMul", "unary", "add", "mul", "scale", "modulate",
            "combine", "timestepEmbedding", "argmax", "concat", "transpose", "copy", "conv1d", "convTranspose1d",
        ] {
            #expect(ops.contains(op), "no self-test row for \(op)")
        }
        #expect(results.count >= 35)
        print(BackendSelfTest.table(results))
    }

    @Test func anInjectedErrorFailsOnlyItsRow() {
        let faulty = FaultyBackend(base: CPUBackend(threads: 1, isa: .scalar), rmsNormError: 0.05)
        let results = BackendSelfTest.run(
            candidate: faulty, reference: CPUBackend(threads: 1, isa: .scalar), filter: "rmsNorm")
        #expect(results.count == 2)  // with and without a weight
        for result in results {
            #expect(!result.passed)
            #expect(abs(result.maxAbs - 0.05) < 1e-3)
        }
    }

    @Test func anOpThatThrowsIsAFailedRowNamingTheBackend() {
        let faulty = FaultyBackend(base: CPUBackend(threads: 1, isa: .scalar), transposeThrows: true)
        let results = BackendSelfTest.run(
            candidate: faulty, reference: CPUBackend(threads: 1, isa: .scalar), filter: "transpose")
        #expect(results.count == 1)
        #expect(results.first?.passed == false)
        #expect(results.first?.failure == "faulty: transpose: injected failure")
        #expect(BackendSelfTest.table(results).hasSuffix("0/1 ops within bounds"))
    }

    @Test func resultLinesAreStable() {
        let row = SelfTestResult(
            op: "linear bf16", shape: "2x896", cosine: 0.99999949, maxAbs: 3.14e-6, cosineMinimum: 0.999,
            maxAbsBound: 4.8e-3, failure: nil)
        #expect(row.passed)
        #expect("\(row)" == "ok    linear bf16  2x896  cos 0.999999  max-abs 3.1e-06 ≤ 4.8e-03")
        let low = SelfTestResult(
            op: "x", shape: "s", cosine: 0.99, maxAbs: 0, cosineMinimum: 0.999, maxAbsBound: 1, failure: nil)
        #expect(!low.passed)
        #expect(scientific(12345) == "1.2e+04")
        #expect(scientific(0) == "0")
        #expect(format6(-0.5) == "-0.500000")
    }
}
