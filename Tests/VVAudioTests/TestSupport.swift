import Foundation
import Testing

@testable import VVAudio

/// Shared helpers for the VVAudio tests.
enum Fixture {
    static var root: URL {
        Bundle.module.resourceURL?.appendingPathComponent("Fixtures") ?? URL(fileURLWithPath: "Fixtures")
    }

    static func bytes(_ path: String) throws -> [UInt8] {
        let url = root.appendingPathComponent(path)
        guard let d = FileManager.default.contents(atPath: url.path) else {
            throw TestFailure("missing fixture \(url.path)")
        }
        return [UInt8](d)
    }

    static func floats(_ path: String) throws -> [Float] {
        let b = try bytes(path)
        return stride(from: 0, to: b.count - 3, by: 4).map {
            Float(
                bitPattern: UInt32(b[$0]) | UInt32(b[$0 + 1]) << 8 | UInt32(b[$0 + 2]) << 16 | UInt32(b[$0 + 3]) << 24)
        }
    }

    static func json(_ path: String) throws -> [String: Any] {
        guard let obj = try JSONSerialization.jsonObject(with: Data(try bytes(path))) as? [String: Any] else {
            throw TestFailure("\(path) is not a JSON object")
        }
        return obj
    }
}

struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}

/// Back ends as found on this machine; tests that need one skip loudly when it is missing.
enum Backends {
    /// `VVAUDIO_TEST_NATIVE_ONLY=1` runs the suite as on a machine without libsndfile and ffmpeg.
    static let system =
        ProcessInfo.processInfo.environment["VVAUDIO_TEST_NATIVE_ONLY"] == "1"
        ? AudioBackends.nativeOnly : AudioBackends.discover()
    static var sndfile: SndFileLibrary? { try? system.sndfile.get() }
    static var ffmpeg: FFmpegTool? { try? system.ffmpeg.get() }
    static var hasSndfile: Bool {
        if sndfile == nil { print("SKIPPED: libsndfile not loadable here (\(system.summary)); install libsndfile1") }
        return sndfile != nil
    }
    static var hasFFmpeg: Bool {
        if ffmpeg == nil { print("SKIPPED: ffmpeg not found (\(system.summary)); install ffmpeg") }
        return ffmpeg != nil
    }
}

enum Signal {
    /// `amplitude · sin(2π f n / rate)` computed in Double.
    static func tone(_ f: Double, rate: Int, count: Int, amplitude: Double = 0.5) -> [Float] {
        (0..<count).map { Float(amplitude * sin(2 * Double.pi * f * Double($0) / Double(rate))) }
    }

    /// Amplitude of the component at `f` Hz in `x[from..<to]`, from a Hann-windowed DFT bin.
    static func amplitude(_ x: [Float], at f: Double, rate: Int, from: Int, to: Int) -> Double {
        var re = 0.0, im = 0.0, wsum = 0.0
        let n = to - from
        for i in 0..<n {
            let w = 0.5 - 0.5 * cos(2 * Double.pi * Double(i) / Double(n))
            let ph = 2 * Double.pi * f * Double(from + i) / Double(rate)
            re += w * Double(x[from + i]) * cos(ph)
            im += w * Double(x[from + i]) * sin(ph)
            wsum += w
        }
        return 2 * (re * re + im * im).squareRoot() / wsum
    }

    static func rms(_ x: ArraySlice<Float>) -> Double {
        guard !x.isEmpty else { return 0 }
        return (x.reduce(0.0) { $0 + Double($1) * Double($1) } / Double(x.count)).squareRoot()
    }

    /// The frequency (Hz) with the largest magnitude over `lo...hi` Hz, from at most one second in the middle of
    /// `x`: a 1 Hz grid refined by a parabola through the three best bins.
    static func dominantFrequency(_ x: [Float], rate: Int, lo: Double, hi: Double) -> Double {
        let span = min(rate, x.count * 8 / 10)
        let from = (x.count - span) / 2, to = from + span
        var best = lo, bestA = -1.0
        var f = lo
        while f <= hi {
            let a = amplitude(x, at: f, rate: rate, from: from, to: to)
            if a > bestA { bestA = a; best = f }
            f += 1
        }
        let a0 = amplitude(x, at: best - 1, rate: rate, from: from, to: to)
        let a2 = amplitude(x, at: best + 1, rate: rate, from: from, to: to)
        let denom = a0 - 2 * bestA + a2
        return denom == 0 ? best : best + 0.5 * (a0 - a2) / denom
    }

    /// Lag in `-maxLag...maxLag` maximising the correlation of `a` and `b` (b shifted by lag), and that correlation.
    static func bestAlignment(_ a: [Float], _ b: [Float], maxLag: Int) -> (lag: Int, correlation: Double) {
        var best = (0, -2.0)
        let n = min(a.count, b.count) - 2 * maxLag
        guard n > 0 else { return best }
        for lag in -maxLag...maxLag {
            var ab = 0.0, aa = 0.0, bb = 0.0
            for i in maxLag..<(maxLag + n) {
                let x = Double(a[i]), y = Double(b[i + lag])
                ab += x * y; aa += x * x; bb += y * y
            }
            let c = ab / max((aa * bb).squareRoot(), 1e-30)
            if c > best.1 { best = (lag, c) }
        }
        return best
    }
}

/// Deterministic byte generator for fuzzing (SplitMix64).
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
