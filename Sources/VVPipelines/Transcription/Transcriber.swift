import Foundation

/// One speech-to-text request: audio already decoded to the model's rate, plus the client's hints.
public struct TranscriptionRequest: Sendable {
    /// Mono float samples at `sampleRate`.
    public var samples: [Float]
    /// Sample rate of `samples` in Hz.
    public var sampleRate: Int
    /// ISO-639-1 language hint, if the client sent one.
    public var language: String?
    /// Free-text context (the OpenAI `prompt`), passed to the model as hotword context.
    public var prompt: String?
    /// Words to favour (`keywords[]`), passed to the model as hotword context.
    public var keywords: [String]
    /// Sampling temperature (0 = greedy).
    public var temperature: Double

    /// Creates a request.
    public init(
        samples: [Float], sampleRate: Int, language: String? = nil, prompt: String? = nil, keywords: [String] = [],
        temperature: Double = 0
    ) {
        self.samples = samples
        self.sampleRate = sampleRate
        self.language = language
        self.prompt = prompt
        self.keywords = keywords
        self.temperature = temperature
    }

    /// Duration of the audio in seconds.
    public var duration: Double { sampleRate > 0 ? Double(samples.count) / Double(sampleRate) : 0 }
}

/// One speaker turn of a transcript.
public struct TranscriptSegment: Sendable, Equatable {
    /// Start time in seconds.
    public var start: Double
    /// End time in seconds.
    public var end: Double
    /// 0-based speaker index, or `nil` when the model gave none.
    public var speaker: Int?
    /// The words spoken.
    public var text: String

    /// Creates a segment.
    public init(start: Double, end: Double, speaker: Int?, text: String) {
        self.start = start
        self.end = end
        self.speaker = speaker
        self.text = text
    }
}

/// A finished transcription.
public struct TranscriptionResult: Sendable, Equatable {
    /// The speaker turns in time order.
    public var segments: [TranscriptSegment]
    /// Duration of the input audio in seconds.
    public var duration: Double
    /// Text tokens the model produced (for usage reporting).
    public var outputTokens: Int

    /// Creates a result.
    public init(segments: [TranscriptSegment], duration: Double, outputTokens: Int) {
        self.segments = segments
        self.duration = duration
        self.outputTokens = outputTokens
    }

    /// The spoken words of every segment joined by single spaces: never the model's raw JSON.
    public var text: String {
        segments.map { $0.text.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
            .joined(separator: " ")
    }
}

/// What a transcription stream delivers: text deltas and finished segments as they are decoded, then one `finished`.
public enum TranscriptionEvent: Sendable, Equatable {
    /// New transcript text (segment content only, never JSON syntax).
    case delta(String)
    /// A segment whose end is known.
    case segment(TranscriptSegment)
    /// The whole result.
    case finished(TranscriptionResult)
}

/// A loaded speech-to-text model behind the transcription endpoints.
///
/// Contract as for `SpeechSynthesizer`: the stream starts work when consumed and stops promptly when the consumer
/// goes away or is cancelled.
public protocol Transcriber: Sendable {
    /// The sample rate the model wants its input at (24000 for VibeVoice-ASR).
    var sampleRate: Int { get }
    /// Starts transcribing `request`.
    func transcribe(_ request: TranscriptionRequest) -> AsyncThrowingStream<TranscriptionEvent, any Error>
}
