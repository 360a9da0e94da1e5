import Foundation

/// A test double for `SpeechSynthesizer`: speaks a known tone instead of running a model.
///
/// For tests and for `vibevoice serve --test-doubles` (the CI acceptance run). Each request yields one frame of
/// `frameSamples` samples per `charactersPerFrame` characters of text (at least one), each frame a sine at
/// `frequency` Hz with amplitude 0.5, optionally `frameDelay` apart, then `finished` with the frame count as output
/// tokens and the whitespace-separated word count as input tokens. Never used for real speech.
public struct ToneSynthesizer: SpeechSynthesizer {
    /// 24 kHz, as the real models.
    public let sampleRate = 24_000
    /// Samples per frame (3200 = one VibeVoice speech frame, 133 ms).
    public var frameSamples = 3_200
    /// Characters of text per frame.
    public var charactersPerFrame = 8
    /// Tone frequency in Hz.
    public var frequency: Double = 440
    /// Pause before each frame, to imitate generation time.
    public var frameDelay: Duration = .zero
    /// The voices offered.
    public var voices: [VoiceInfo]

    /// Creates a tone synthesizer with the given voice ids (upstream naming, e.g. `en-Carter_man`).
    public init(voiceIDs: [String] = ToneSynthesizer.defaultVoiceIDs, frameDelay: Duration = .zero) {
        self.voices = voiceIDs.map(VoiceInfo.init(presetID:))
        self.frameDelay = frameDelay
    }

    /// A few ids in the upstream realtime preset naming scheme.
    public static let defaultVoiceIDs = [
        "en-Carter_man", "en-Davis_man", "en-Emma_woman", "en-Grace_woman", "de-Spk0_man", "in-Samuel_man",
    ]

    /// Number of frames `text` produces.
    public func frameCount(for text: String) -> Int { max(1, (text.count + charactersPerFrame - 1) / charactersPerFrame) }

    /// The samples of frame `index` (a continuous sine across frames).
    public func frame(_ index: Int) -> [Float] {
        let base = index * frameSamples
        return (0..<frameSamples).map { i in
            Float(0.5 * sin(2 * Double.pi * frequency * Double(base + i) / Double(sampleRate)))
        }
    }

    /// Yields the frames of `request`, stopping early when the consumer goes away.
    public func synthesize(_ request: SpeechRequest) -> AsyncThrowingStream<SpeechEvent, any Error> {
        let frames = frameCount(for: request.text)
        let words = request.text.split(whereSeparator: \.isWhitespace).count
        let me = self
        return AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    for i in 0..<frames {
                        if me.frameDelay > .zero { try await Task.sleep(for: me.frameDelay) }
                        try Task.checkCancellation()
                        continuation.yield(.audio(me.frame(i)))
                    }
                    continuation.yield(.finished(SpeechUsage(inputTokens: words, outputTokens: frames)))
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}
