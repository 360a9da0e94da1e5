import Foundation
import Testing

@testable import VVAudio

@Suite struct LoudnessNormalizerTests {
    /// The fixture script's LCG signal, rebuilt exactly (every value is a float32 with no rounding).
    static func lcgSignal(count: Int, seed: Int, amplitudeLog2: Int, burst: Bool) -> [Float] {
        var x = UInt32(truncatingIfNeeded: seed)
        let scale = Float(pow(2.0, Double(amplitudeLog2 - 23)))
        return (0..<count).map { i in
            x = 1_664_525 &* x &+ 1_013_904_223
            var v = Float(Int(x >> 8) - (1 << 23)) * scale
            if burst && (i / 1000) % 10 == 3 { v *= 64 }
            return v
        }
    }

    static func fnv1a64(_ samples: [Float]) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for s in samples {
            let b = s.bitPattern
            for k in 0..<4 {
                h ^= UInt64((b >> (8 * UInt32(k))) & 0xFF)
                h = h &* 0x100_0000_01B3
            }
        }
        return h
    }

    /// Bit-exact against the upstream `AudioNormalizer` run by NumPy (tools/make_audio_fixtures.py).
    @Test func matchesPythonReferenceBitForBit() throws {
        let json = try Fixture.json("normalizer.json")
        let cases = try #require(json["cases"] as? [[String: Any]])
        #expect(cases.count >= 9)
        for c in cases {
            let name = c["name"] as? String ?? "?"
            let count = c["count"] as? Int ?? 0
            let input: [Float] =
                name == "silence"
                ? [Float](repeating: 0, count: count)
                : Self.lcgSignal(
                    count: count, seed: c["seed"] as? Int ?? 0, amplitudeLog2: c["amplitudeLog2"] as? Int ?? 0,
                    burst: c["burst"] as? Bool ?? false)
            let rms = LoudnessNormalizer.rootMeanSquare(input)
            #expect(rms.bitPattern == UInt32(c["rmsBits"] as? Int ?? -1), "rms of \(name)")
            let out = LoudnessNormalizer.normalized(input)
            #expect(String(Self.fnv1a64(out)) == c["outputFNV1a64"] as? String, "output hash of \(name)")
            if let bits = c["outputBits"] as? [Int] {
                #expect(out.map { Int($0.bitPattern) } == bits, "output bits of \(name)")
            }
        }
    }

    @Test func levelAndPeakGuard() {
        let tone = Signal.tone(440, rate: 24000, count: 24000, amplitude: 0.01)
        let out = LoudnessNormalizer.normalized(tone)
        let db = 20 * log10(Signal.rms(out[...]))
        #expect(abs(db - -25) < 0.01)
        // A single spike: RMS scaling would push it past 1, so the peak guard brings it back below 1.
        var spike = [Float](repeating: 0, count: 10000)
        spike[5000] = 1
        let s = LoudnessNormalizer.normalized(spike)
        #expect(s.map { abs($0) }.max() ?? 2 < 1)
        #expect(s[5000] > 0.99)
    }
}
