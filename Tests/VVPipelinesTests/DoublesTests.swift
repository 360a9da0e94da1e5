import Foundation
import Testing

@testable import VVPipelines

@Suite struct DoublesTests {
    @Test func toneSynthesizerFramesAndUsage() async throws {
        let synth = ToneSynthesizer()
        var samples: [Float] = []
        var usage: SpeechUsage?
        for try await e in synth.synthesize(SpeechRequest(text: "Hello world again", voice: "en-Carter_man")) {
            switch e {
            case .audio(let s): samples += s
            case .finished(let u): usage = u
            }
        }
        #expect(samples.count == 3 * 3200)  // 17 characters / 8 per frame → 3 frames
        #expect(usage == SpeechUsage(inputTokens: 3, outputTokens: 3))
        // A 440 Hz sine at 24 kHz: sample 15 is at phase 2π·440·15/24000.
        let expected = Float(0.5 * sin(2.0 * Double.pi * 440.0 * 15.0 / 24_000.0))
        #expect(abs(samples[15] - expected) < 1e-6)
    }

    @Test func scriptedTranscriberScalesToDuration() async throws {
        let t = ScriptedTranscriber(script: ["one two", "three"])
        var deltas = ""
        var result: TranscriptionResult?
        let req = TranscriptionRequest(samples: [Float](repeating: 0, count: 48_000), sampleRate: 24_000)
        for try await e in t.transcribe(req) {
            if case .delta(let d) = e { deltas += d }
            if case .finished(let r) = e { result = r }
        }
        #expect(deltas == "one two three")
        #expect(result?.segments.map(\.end) == [1, 2])
        #expect(result?.segments.map(\.speaker) == [0, 1])
        #expect(result?.text == "one two three")
    }
}
