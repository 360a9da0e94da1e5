import Foundation

/// The windowed-sinc filter of a `Resampler`: one row of taps per phase, or a dense kernel for huge phase counts.
struct Kernel: Sendable {
    /// Number of phases stored in `table` (`up`, or 0 when `dense` is used).
    let phases: Int
    /// Taps per phase.
    let taps: Int
    /// `phases × taps` weights, phase-major.
    let table: [Float]
    /// Kernel sampled `denseSteps` times per input sample, for ratios with more than `maxPhases` phases.
    let dense: [Float]?

    static let maxPhases = 2048
    static let denseSteps = 1024

    /// Designs the filter `g(τ) = 2fc·sinc(2fc·τ)·kaiser(τ / (taps/2))`; each phase is scaled to unit DC gain.
    static func design(up: Int, taps: Int, cutoff fc: Double, beta: Double) -> Kernel {
        let half = Double(taps / 2)
        let i0Beta = besselI0(beta)
        func g(_ tau: Double) -> Double {
            let x = tau / half
            guard abs(x) <= 1 else { return 0 }
            let arg = 2 * fc * tau
            let sinc = arg == 0 ? 1 : sin(Double.pi * arg) / (Double.pi * arg)
            return 2 * fc * sinc * besselI0(beta * (1 - x * x).squareRoot()) / i0Beta
        }
        if up <= maxPhases {
            var table = [Float](repeating: 0, count: up * taps)
            var row = [Double](repeating: 0, count: taps)
            for p in 0..<up {
                let frac = Double(p) / Double(up)
                for k in 0..<taps { row[k] = g(frac + half - 1 - Double(k)) }
                let sum = row.reduce(0, +)
                for k in 0..<taps { table[p * taps + k] = Float(row[k] / sum) }
            }
            return Kernel(phases: up, taps: taps, table: table, dense: nil)
        }
        let count = taps * denseSteps + 2
        let dense = (0..<count).map { Float(g(Double($0) / Double(denseSteps) - half)) }
        return Kernel(phases: 0, taps: taps, table: [], dense: dense)
    }

    /// The output for phase `phase` (of `up`) from `count` inputs at `x`.
    @inline(__always)
    func apply(phase: Int, up: Int, to x: UnsafePointer<Float>, count: Int) -> Float {
        if let dense { return applyDense(dense, phase: phase, up: up, to: x) }
        return table.withUnsafeBufferPointer { t in
            guard let tb = t.baseAddress else { return 0 }
            return dot(tb + phase * taps, x, count)
        }
    }

    private func applyDense(_ d: [Float], phase: Int, up: Int, to x: UnsafePointer<Float>) -> Float {
        let frac = Double(phase) / Double(up)
        let half = Double(taps / 2)
        var acc: Float = 0, norm: Float = 0
        for k in 0..<taps {
            let pos = (frac + half - 1 - Double(k) + half) * Double(Self.denseSteps)
            let i = Int(pos)
            let f = Float(pos - Double(i))
            let w = d[i] + (d[i + 1] - d[i]) * f
            acc += w * x[k]
            norm += w
        }
        return norm != 0 ? acc / norm : 0
    }
}

/// Σ a[i]·b[i] over `n` (a multiple of 8) floats, with eight independent lanes.
@inline(__always)
func dot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, _ n: Int) -> Float {
    var acc = SIMD8<Float>(repeating: 0)
    let ra = UnsafeRawPointer(a), rb = UnsafeRawPointer(b)
    var i = 0
    while i < n {
        let va = ra.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
        let vb = rb.loadUnaligned(fromByteOffset: i * 4, as: SIMD8<Float>.self)
        acc = acc + va * vb
        i += 8
    }
    return acc.sum()
}

/// Modified Bessel function of the first kind, order 0 (power series).
func besselI0(_ x: Double) -> Double {
    var sum = 1.0, term = 1.0
    let q = x * x / 4
    var k = 1.0
    while term > sum * 1e-17 {
        term *= q / (k * k)
        sum += term
        k += 1
    }
    return sum
}
