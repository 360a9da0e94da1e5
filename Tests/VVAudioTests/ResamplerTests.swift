import Foundation
import Testing

@testable import VVAudio

@Suite struct ResamplerTests {
    /// Against scipy.signal.resample_poly with the same Kaiser windowed-sinc design (fixtures from
    /// tools/make_audio_fixtures.py): identical length and sample values within 5e-6 (measured ≤ 1.8e-6).
    @Test func matchesScipy() throws {
        let json = try Fixture.json("resample.json")
        let cases = try #require(json["cases"] as? [[String: Any]])
        #expect(cases.count == 4)
        for c in cases {
            let name = try #require(c["name"] as? String)
            let input = try Fixture.floats("resample-\(name)-in.f32")
            let reference = try Fixture.floats("resample-\(name)-scipy.f32")
            let inRate = try #require(c["inputRate"] as? Int)
            let out = try Resampler.resample(input, from: inRate, to: 24000)
            #expect(out.count == reference.count, "\(name) length")
            let err = zip(out, reference).map { abs($0 - $1) }.max() ?? 1
            #expect(err < 5e-6, "\(name) max abs difference \(err)")
        }
    }

    /// Passband: tones up to 10 kHz keep their amplitude within 0.1 dB.
    @Test(arguments: [44100, 48000, 32000, 96000])
    func passbandIsFlat(inputRate: Int) throws {
        for f in [50.0, 440, 1000, 3000, 6000, 8000, 9500, 10000] {
            let x = Signal.tone(f, rate: inputRate, count: inputRate / 2, amplitude: 0.5)
            let y = try Resampler.resample(x, from: inputRate, to: 24000)
            let a = Signal.amplitude(y, at: f, rate: 24000, from: 1000, to: y.count - 1000)
            let db = 20 * log10(a / 0.5)
            #expect(abs(db) <= 0.1, "\(inputRate) Hz input, \(f) Hz tone: \(db) dB")
        }
    }

    /// Stopband: tones from 12 kHz up leave less than −80 dB of anything (aliases included) in the output.
    @Test(arguments: [44100, 48000, 96000])
    func stopbandRejects(inputRate: Int) throws {
        var freqs: [Double] = [12000, 12500, 14000, 16000, 20000]
        if inputRate > 44100 { freqs += [23000] }
        if inputRate == 96000 { freqs += [30000, 47000] }
        for f in freqs {
            let x = Signal.tone(f, rate: inputRate, count: inputRate / 2, amplitude: 0.5)
            let y = try Resampler.resample(x, from: inputRate, to: 24000)
            let level = Signal.rms(y[1000..<(y.count - 1000)]) / (0.5 / 2.0.squareRoot())
            let db = 20 * log10(max(level, 1e-12))
            #expect(db <= -80, "\(inputRate) Hz input, \(f) Hz tone leaks \(db) dB")
        }
    }

    /// Upsampling keeps tones and removes the images above the input's Nyquist.
    @Test func upsampling16kTo24k() throws {
        let x = Signal.tone(1000, rate: 16000, count: 8000, amplitude: 0.5)
        let y = try Resampler.resample(x, from: 16000, to: 24000)
        #expect(y.count == 12000)
        let a = Signal.amplitude(y, at: 1000, rate: 24000, from: 1000, to: 11000)
        #expect(abs(20 * log10(a / 0.5)) < 0.1)
        let image = Signal.amplitude(y, at: 15000, rate: 24000, from: 1000, to: 11000)
        #expect(20 * log10(max(image, 1e-12) / 0.5) < -80)
    }

    /// Lengths follow the exact ratio for any input length; streaming in uneven chunks equals one-shot exactly.
    @Test func exactLengthAndStreamingEqualsOneShot() throws {
        for (inRate, n) in [(44100, 44101), (48000, 1), (22050, 7), (8000, 12345), (44099, 3000), (24000, 999)] {
            let x = Signal.tone(300, rate: inRate, count: n)
            let one = try Resampler.resample(x, from: inRate, to: 24000)
            #expect(one.count == (n * 24000 + inRate - 1) / inRate, "\(inRate) Hz × \(n)")
            var r = try Resampler(from: inRate, to: 24000)
            var streamed: [Float] = []
            var i = 0, step = 1
            while i < n {
                let j = min(n, i + step)
                streamed += r.process(Array(x[i..<j]))
                i = j
                step = step * 3 % 5000 + 1
            }
            streamed += r.flush()
            #expect(streamed == one, "\(inRate) Hz streaming")
        }
        // One hour at 44.1 kHz: no drift in the count.
        let r = try Resampler(from: 44100, to: 24000)
        #expect(r.outputCount(forInput: 44100 * 3600) == 24000 * 3600)
    }

    @Test func sameRateIsIdentity() throws {
        let x = Signal.tone(300, rate: 24000, count: 100)
        #expect(try Resampler.resample(x, from: 24000, to: 24000) == x)
        #expect(throws: AudioError.self) { try Resampler(from: 0, to: 24000) }
    }
}
