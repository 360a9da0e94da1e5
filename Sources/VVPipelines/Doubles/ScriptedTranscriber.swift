import Foundation

/// A test double for `Transcriber`: returns a fixed two-speaker script scaled to the audio's duration.
///
/// For tests and for `vibevoice serve --test-doubles`. The audio is split into `script.count` equal turns; turn `i`
/// is spoken by speaker `i % 2` with the text `script[i]`. Each word is delivered as a delta, each turn as a
/// segment, then the result. Never used for real transcription.
public struct ScriptedTranscriber: Transcriber {
    /// 24 kHz, as VibeVoice-ASR.
    public let sampleRate = 24_000
    /// The turns to return.
    public var script: [String]
    /// Pause before each word, to imitate decoding time.
    public var wordDelay: Duration

    /// Creates a transcriber that answers with `script`.
    public init(
        script: [String] = ["Hello from the first speaker.", "And this is the second speaker."],
        wordDelay: Duration = .zero
    ) {
        self.script = script
        self.wordDelay = wordDelay
    }

    /// The segments `script` gives for audio of `duration` seconds.
    public func segments(duration: Double) -> [TranscriptSegment] {
        let n = Double(max(script.count, 1))
        return script.enumerated().map { i, text in
            TranscriptSegment(start: duration * Double(i) / n, end: duration * Double(i + 1) / n, speaker: i % 2, text: text)
        }
    }

    /// Streams the script as deltas and segments.
    public func transcribe(_ request: TranscriptionRequest) -> AsyncThrowingStream<TranscriptionEvent, any Error> {
        let segments = segments(duration: request.duration)
        let duration = request.duration
        let delay = wordDelay
        return AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    var tokens = 0
                    for (si, segment) in segments.enumerated() {
                        let words = segment.text.split(separator: " ")
                        for (wi, word) in words.enumerated() {
                            if delay > .zero { try await Task.sleep(for: delay) }
                            try Task.checkCancellation()
                            let lead = (si > 0 && wi == 0) || wi > 0 ? " " : ""
                            continuation.yield(.delta(lead + word))
                            tokens += 1
                        }
                        continuation.yield(.segment(segment))
                    }
                    continuation.yield(.finished(TranscriptionResult(segments: segments, duration: duration, outputTokens: tokens)))
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}
