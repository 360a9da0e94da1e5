import Foundation

/// A band-limited streaming resampler: polyphase Kaiser-windowed sinc at an exact rational ratio.
///
/// The ratio `outputRate / inputRate` is reduced to `up / down`; output sample `n` sits at input time
/// `n · down / up`, so lengths never drift: `N` input samples give exactly `ceil(N · up / down)` outputs.
/// The low-pass keeps `passFraction` of the lower Nyquist frequency flat and stops everything above that Nyquist
/// (for 24 kHz output: flat to 10 kHz, 90 dB Kaiser design, measured ≤ −93 dB leakage from 12 kHz). The filter is zero-phase (centred),
/// so output is not delayed; streaming output equals one-shot output exactly.
public struct Resampler: Sendable {
    /// Input samples per second.
    public let inputRate: Int
    /// Output samples per second.
    public let outputRate: Int
    /// Interpolation factor (`outputRate / gcd`).
    public let up: Int
    /// Decimation factor (`inputRate / gcd`).
    public let down: Int
    /// Filter taps per output sample (a multiple of 8).
    public let taps: Int
    private let kernel: Kernel
    private var history: [Float]
    private var historyStart: Int
    private var received = 0
    private var phase = 0
    private var base = 0
    private var produced = 0

    /// Kaiser design attenuation, dB.
    static let attenuation = 90.0
    /// Fraction of the lower Nyquist kept flat (10 kHz of 12 kHz).
    static let passFraction = 10.0 / 12.0

    /// Creates a resampler from `inputRate` to `outputRate` Hz.
    public init(from inputRate: Int, to outputRate: Int) throws {
        guard inputRate > 0, outputRate > 0, inputRate <= 1_536_000, outputRate <= 1_536_000 else {
            throw AudioError.invalidArgument(
                name: "sample rate", detail: "\(inputRate) → \(outputRate) Hz is out of range")
        }
        let g = gcd(inputRate, outputRate)
        self.inputRate = inputRate
        self.outputRate = outputRate
        up = outputRate / g
        down = inputRate / g
        if up == down {
            taps = 0
            kernel = Kernel(phases: 1, taps: 0, table: [], dense: nil)
        } else {
            // Edges in cycles per input sample.
            let stop = 0.5 * Double(min(inputRate, outputRate)) / Double(inputRate)
            let pass = stop * Self.passFraction
            let width = stop - pass
            let beta = 0.1102 * (Self.attenuation - 8.7)
            let length = (Self.attenuation - 8) / (2.285 * 2 * Double.pi * width)
            taps = (Int(length.rounded(.up)) + 7) / 8 * 8
            kernel = Kernel.design(up: up, taps: taps, cutoff: (pass + stop) / 2, beta: beta)
        }
        history = [Float](repeating: 0, count: max(taps / 2 - 1, 0))
        historyStart = -(taps / 2 - 1)
    }

    /// Resamples a whole signal in one call.
    public static func resample(_ samples: [Float], from inputRate: Int, to outputRate: Int) throws -> [Float] {
        var r = try Resampler(from: inputRate, to: outputRate)
        var out = r.process(samples)
        out += r.flush()
        return out
    }

    /// The exact output length for `inputCount` input samples.
    public func outputCount(forInput inputCount: Int) -> Int {
        (inputCount * up + down - 1) / down
    }

    /// Feeds `input`; returns every output sample whose filter window is now complete.
    public mutating func process(_ input: [Float]) -> [Float] {
        if up == down { received += input.count; produced += input.count; return input }
        history += input
        received += input.count
        var out: [Float] = []
        out.reserveCapacity(input.count * up / down + 2)
        run(limit: received, into: &out)
        compact()
        return out
    }

    /// Ends the stream (zeros after the last sample); returns the remaining outputs.
    public mutating func flush() -> [Float] {
        if up == down { return [] }
        let total = outputCount(forInput: received)
        var out: [Float] = []
        history += [Float](repeating: 0, count: taps)
        run(limit: .max, into: &out, stopAt: total)
        compact()
        return out
    }

    /// Computes outputs while their last tap is below `limit` (an input index) and fewer than `stopAt` exist.
    private mutating func run(limit: Int, into out: inout [Float], stopAt: Int = .max) {
        let half = taps / 2
        let k = taps
        history.withUnsafeBufferPointer { h in
            guard let hp = h.baseAddress else { return }
            let available = historyStart + h.count
            while produced < stopAt && base + half < min(limit, available) {
                let start = base - (half - 1) - historyStart
                out.append(kernel.apply(phase: phase, up: up, to: hp + start, count: k))
                produced += 1
                phase += down
                base += phase / up
                phase %= up
            }
        }
    }

    /// Drops input no future output needs.
    private mutating func compact() {
        let keepFrom = base - (taps / 2 - 1)
        let drop = keepFrom - historyStart
        if drop > 4096 && drop <= history.count {
            history.removeFirst(drop)
            historyStart = keepFrom
        }
    }
}

private func gcd(_ a: Int, _ b: Int) -> Int {
    var (a, b) = (a, b)
    while b != 0 { (a, b) = (b, a % b) }
    return a
}
