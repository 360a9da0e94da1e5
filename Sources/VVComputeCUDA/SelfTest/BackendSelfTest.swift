import VVCompute

/// Runs every `ComputeBackend` op on a candidate backend (CUDA) and a reference backend (the CPU) with the same
/// random inputs at the shapes of VibeVoice-Realtime-0.5B (hidden 896, 14 heads, 2 KV heads, head size 64, FFN
/// 4864, diffusion FFN 2688, σ-VAE convolutions), and reports cosine similarity and max-abs difference per op.
///
/// Bounds: cosine ≥ 0.999 for every float result (DESIGN.md "Fidelity testing"); max-abs ≤ `relative ×
/// max(1, max|reference|)` with `relative` stated per op (1e-4 for long fp32 sums and transcendental functions,
/// 1e-5 for elementwise arithmetic, 0 for copies, gathers and argmax, which must be exact). Both backends see the
/// same bf16/f16 weights (rounded from the same f32 values by each backend's `copy`), so differences come from
/// summation order and libm only. `vibevoice selftest` prints the table; tests run it CPU against CPU.
public enum BackendSelfTest {
    /// One check: an op applied to fixed inputs.
    struct Case {
        let op: String
        let shape: String
        let relative: Float
        let integer: Bool
        let run: (any ComputeBackend) throws -> Tensor
    }

    /// The cosine every float result must reach.
    public static let cosineMinimum = 0.999

    /// Runs the cases whose op name contains `filter` (all when nil), calling `report` after each.
    ///
    /// An op that throws on either backend is a failed row carrying the error; nothing is thrown.
    public static func run(
        candidate: any ComputeBackend, reference: any ComputeBackend, filter: String? = nil,
        report: (SelfTestResult) -> Void = { _ in }
    ) -> [SelfTestResult] {
        var results: [SelfTestResult] = []
        for check in cases() where filter.map({ check.op.contains($0) }) ?? true {
            let result = compare(check, candidate: candidate, reference: reference)
            report(result)
            results.append(result)
        }
        return results
    }

    /// The table `vibevoice selftest` prints: one line per op and a summary line.
    public static func table(_ results: [SelfTestResult]) -> String {
        let failed = results.filter { !$0.passed }.count
        return (results.map(\.description) + ["\(results.count - failed)/\(results.count) ops within bounds"])
            .joined(separator: "\n")
    }

    private static func compare(_ check: Case, candidate: any ComputeBackend, reference: any ComputeBackend)
        -> SelfTestResult
    {
        func failed(_ error: any Error, _ side: String) -> SelfTestResult {
            SelfTestResult(
                op: check.op, shape: check.shape, cosine: nil, maxAbs: .infinity, cosineMinimum: nil,
                maxAbsBound: 0, failure: "\(side): \(error)")
        }
        let expected: [Float], actual: [Float]
        do { expected = try reference.download(check.run(reference)) } catch { return failed(error, reference.name) }
        do { actual = try candidate.download(check.run(candidate)) } catch { return failed(error, candidate.name) }
        let agreement = Agreement(actual, expected)
        let (cosine, worst, scale) = (agreement.cosine, agreement.maxAbs, agreement.scale)
        return SelfTestResult(
            op: check.op, shape: check.shape, cosine: check.integer ? nil : cosine, maxAbs: worst,
            cosineMinimum: check.integer ? nil : cosineMinimum, maxAbsBound: check.relative * scale, failure: nil)
    }
}

/// Deterministic uniform values in `[-scale, scale)` (the same on every platform).
struct SelfTestRandom {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func values(_ count: Int, scale: Float = 1) -> [Float] {
        var state = self.state
        let step = scale * 0x1p-31 * 2
        let values = [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            guard let base = buffer.baseAddress else { return }
            for index in 0..<count {
                state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
                (base + index).initialize(to: Float(UInt32(truncatingIfNeeded: state >> 33)) * step - scale)
            }
            initialized = count
        }
        self.state = state
        return values
    }
}

/// A weight of `dtype` made on `backend` from f32 values (rounded by the backend's own `copy`).
func selfTestWeight(_ values: [Float], _ shape: Shape, _ dtype: DType, on backend: any ComputeBackend) throws -> Tensor
{
    let f32 = try backend.upload(values, shape: shape)
    if dtype == .f32 { return f32 }
    let converted = try backend.zeros(shape, dtype: dtype)
    try backend.copy(f32, into: converted)
    return converted
}
