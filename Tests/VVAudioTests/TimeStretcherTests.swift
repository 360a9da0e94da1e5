import Foundation
import Testing

@testable import VVAudio

@Suite struct TimeStretcherTests {
    /// Duration within ±1 % (in fact exact) and the tone's pitch within 1 % for the whole `speed` range.
    @Test(arguments: [0.25, 0.5, 0.8, 1.25, 1.5, 2.0, 3.0, 4.0])
    func durationAndPitch(speed: Double) throws {
        let n = 48000
        for f in [220.0, 440, 1000] {
            let x = Signal.tone(f, rate: 24000, count: n, amplitude: 0.5)
            let y = try TimeStretcher.stretch(x, speed: speed)
            let expected = Double(n) / speed
            #expect(abs(Double(y.count) - expected) <= 0.01 * expected, "speed \(speed): \(y.count) samples")
            let pitch = Signal.dominantFrequency(y, rate: 24000, lo: f * 0.97, hi: f * 1.03)
            #expect(abs(pitch - f) <= 0.01 * f, "speed \(speed), \(f) Hz tone came out at \(pitch) Hz")
            // The level stays that of the tone (no holes or doubling from the overlap-add).
            let rms = Signal.rms(y[(y.count / 10)..<(y.count * 9 / 10)])
            #expect(abs(rms - 0.5 / 2.0.squareRoot()) < 0.05, "speed \(speed), \(f) Hz: rms \(rms)")
        }
    }

    @Test func streamingEqualsOneShot() throws {
        var x = Signal.tone(330, rate: 24000, count: 30000, amplitude: 0.3)
        for i in x.indices { x[i] *= Float(0.5 + 0.5 * sin(Double(i) / 900)) }
        for speed in [0.5, 1.7, 4.0] {
            let one = try TimeStretcher.stretch(x, speed: speed)
            var s = try TimeStretcher(speed: speed)
            var streamed: [Float] = []
            var i = 0, step = 7
            while i < x.count {
                let j = min(x.count, i + step)
                streamed += s.process(Array(x[i..<j]))
                i = j
                step = step * 7 % 3001 + 1
            }
            streamed += s.flush()
            #expect(streamed == one, "speed \(speed)")
        }
    }

    @Test func identityAndRange() throws {
        let x = Signal.tone(330, rate: 24000, count: 1000)
        #expect(try TimeStretcher.stretch(x, speed: 1) == x)
        #expect(try TimeStretcher.stretch([], speed: 2).isEmpty)
        #expect(try TimeStretcher.stretch([0.1, 0.2, 0.3], speed: 0.5).count == 6)
        #expect(throws: AudioError.self) { try TimeStretcher(speed: 0.2) }
        #expect(throws: AudioError.self) { try TimeStretcher(speed: 4.01) }
    }
}
