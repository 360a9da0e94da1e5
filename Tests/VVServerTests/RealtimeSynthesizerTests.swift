import Foundation
import Synchronization
import Testing
import VVCompute
import VVComputeCPU
import VVModelFiles
import VVModels
@testable import VVPipelines
import VVText

/// `RealtimeSynthesizer` on the tiny fixture checkpoint (64 positions, so "long" text is a few sentences): text
/// longer than one context is spoken piece by piece with nothing dropped, and a consumer that goes away stops
/// generation between frames.
@Suite struct RealtimeSynthesizerTests {
    static func synthesizer() throws -> RealtimeSynthesizer {
        let root = RealtimeEngineTests.fixture("")
        let ctx = ComputeContext(backend: CPUBackend(threads: 2))
        let model = try RealtimeModel.load(directory: root.path, context: ctx)
        let voices = FileManager.default.temporaryDirectory.appendingPathComponent("vv-synth-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: voices, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            at: root.appendingPathComponent("voice.pt"), to: voices.appendingPathComponent("en-Tiny_woman.pt"))
        let presets = VoicePresetCache(
            catalog: try VoiceCatalog.scan(voices), shape: VoicePresetShape(config: model.config))
        let tokenizer = try Qwen2Tokenizer(contentsOf: root.appendingPathComponent("tokenizer.json"))
        return RealtimeSynthesizer(model: model, tokenizer: tokenizer, presets: presets, context: ctx)
    }

    static let longText = "The first sentence is here. A second one follows it! Does a third fit? "
        + "Then a fourth, rather longer sentence that goes on for a while. Fifth. And the sixth ends it."

    @Test func longTextIsSplitAtSentencesWithNothingDropped() throws {
        let synth = try Self.synthesizer()
        let tokenizer = synth.tokenizer
        // The tiny model: 64 positions, a 7-position prompt ⇒ 57 left, 1 + 3 positions per token.
        #expect(RealtimeSynthesizer.textBudget(maxPositions: 64, promptLength: 7) == 14)
        #expect(RealtimeSynthesizer.textBudget(maxPositions: 8192, promptLength: 183) == 2002)
        let chunks = RealtimeSynthesizer.textChunks(
            Self.longText, tokenizer: tokenizer, maxPositions: 64, promptLength: 7)
        #expect(chunks.count > 1)
        #expect(chunks.allSatisfy { $0.count <= 14 })
        // Decoding the pieces gives back every word in order (each piece is normalised: stripped + "\n").
        let decoded = chunks.map { tokenizer.decode($0.map(Int.init)) }
        #expect(decoded.allSatisfy { $0.hasSuffix("\n") })
        let words = decoded.joined(separator: " ").split(whereSeparator: \.isWhitespace)
        #expect(words == Self.longText.split(whereSeparator: \.isWhitespace))
        // Short text stays one piece, exactly the reference's input.
        #expect(
            RealtimeSynthesizer.textChunks("Hi there.", tokenizer: tokenizer, maxPositions: 64, promptLength: 7)
                == [tokenizer.encodeInt32("Hi there.\n")])
    }

    @Test func eachVoiceIsConvertedOnceAndSpeaksAsItsPresetDoes() async throws {
        let synth = try Self.synthesizer()
        func speak(_ seed: UInt64) async throws -> [Float] {
            var audio: [Float] = []
            for try await event in synth.synthesize(SpeechRequest(text: "Hello there", voice: "en-Tiny_woman", seed: seed)) {
                if case .audio(let samples) = event { audio += samples }
            }
            return audio
        }
        let first = try await speak(5), second = try await speak(5)
        #expect(synth.prompts.builds == 1, "the second request reuses the first one's device prompt")
        #expect(!first.isEmpty && first == second)
        // The same utterance from the preset itself, converted by the session.
        let preset = try await synth.presets.preset(for: "en-Tiny_woman")
        var session = try RealtimeSession(
            model: synth.model, preset: preset, textIDs: synth.tokenizer.encodeInt32("Hello there\n"),
            options: synth.defaults, noise: .generator(GaussianNoise(seed: 5)), context: synth.context)
        var direct: [Float] = []
        while let frame = try session.nextFrame() { direct += RealtimeSynthesizer.limited(frame.audio) }
        #expect(direct == first)
    }

    @Test func longTextIsSpokenPieceByPiece() async throws {
        let synth = try Self.synthesizer()
        let chunks = RealtimeSynthesizer.textChunks(
            Self.longText, tokenizer: synth.tokenizer, maxPositions: 64, promptLength: 7)
        var frames = 0
        var usage: SpeechUsage?
        for try await event in synth.synthesize(SpeechRequest(text: Self.longText, voice: "en-Tiny_woman", seed: 3)) {
            switch event {
            case .audio(let samples):
                #expect(samples.count == 3200)
                frames += 1
            case .finished(let u): usage = u
            }
        }
        #expect(usage?.inputTokens == chunks.reduce(0) { $0 + $1.count })
        #expect(usage?.outputTokens == frames)
        // Every piece ran its own session: at least one frame each.
        #expect(frames >= chunks.count)
    }

    @Test func stopsBetweenFramesWhenTheConsumerGoesAway() async throws {
        var synth = try Self.synthesizer()
        let request = SpeechRequest(text: Self.longText, voice: "en-Tiny_woman", seed: 3)
        // Uncancelled, the request makes this many frames.
        var full = 0
        for try await event in synth.synthesize(request) { if case .audio = event { full += 1 } }
        #expect(full >= 8)
        // Each frame now takes at least 50 ms, so frames cannot run far ahead of the consumer's cancellation.
        let produced = Atomic<Int>(0)
        synth.onFrame = { _ in
            produced.add(1, ordering: .relaxed)
            Thread.sleep(forTimeInterval: 0.05)
        }
        // Leaving the loop after the first audio drops the stream: the consumer has gone away.
        for try await event in synth.synthesize(request) { if case .audio = event { break } }
        try await Task.sleep(for: .milliseconds(200))
        let after = produced.load(ordering: .relaxed)
        try await Task.sleep(for: .milliseconds(400))
        #expect(produced.load(ordering: .relaxed) == after, "generation still running after cancellation")
        #expect(after < full, "stopped early: \(after) of \(full) frames")
    }
}
