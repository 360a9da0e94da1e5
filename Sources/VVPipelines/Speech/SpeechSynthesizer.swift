/// One text-to-speech request, validated and with its voice already resolved.
public struct SpeechRequest: Sendable, Equatable {
    /// The text to speak (never empty).
    public var text: String
    /// The resolved voice id (an entry of `SpeechSynthesizer.voices`).
    public var voice: String
    /// Classifier-free guidance scale; `nil` uses the model's configured default.
    public var cfgScale: Double?
    /// Diffusion steps per speech frame; `nil` uses the model's configured default.
    public var inferenceSteps: Int?
    /// Seed for the diffusion noise; `nil` picks one.
    public var seed: UInt64?

    /// Creates a request.
    public init(text: String, voice: String, cfgScale: Double? = nil, inferenceSteps: Int? = nil, seed: UInt64? = nil) {
        self.text = text
        self.voice = voice
        self.cfgScale = cfgScale
        self.inferenceSteps = inferenceSteps
        self.seed = seed
    }
}

/// Token counts of a finished synthesis, reported as OpenAI `usage`.
public struct SpeechUsage: Sendable, Equatable {
    /// Text tokens the model read.
    public var inputTokens: Int
    /// Speech tokens (latent frames) the model produced.
    public var outputTokens: Int

    /// Creates a usage record.
    public init(inputTokens: Int, outputTokens: Int) {
        self.inputTokens = inputTokens
        self.outputTokens = outputTokens
    }
}

/// What a synthesis stream delivers, in order: audio pieces as they are made, then exactly one `finished`.
public enum SpeechEvent: Sendable, Equatable {
    /// Mono float samples at the synthesizer's `sampleRate`, in [-1, 1].
    case audio([Float])
    /// The end of the utterance, with its token counts.
    case finished(SpeechUsage)
}

/// A voice a synthesizer can speak with.
public struct VoiceInfo: Sendable, Equatable, Hashable {
    /// Stable id, the preset's file stem (`en-Carter_man`).
    public var id: String
    /// Display name (`Carter`).
    public var name: String
    /// Language code parsed from the id (`en`), or `nil` when unknown.
    public var language: String?
    /// `male`, `female` or `nil` when unknown.
    public var gender: String?
    /// `preset` for shipped voices, `custom` for uploaded ones.
    public var type: String

    /// Creates a voice record.
    public init(id: String, name: String, language: String? = nil, gender: String? = nil, type: String = "preset") {
        self.id = id
        self.name = name
        self.language = language
        self.gender = gender
        self.type = type
    }

    /// Parses the upstream naming scheme `<lang>-<Name>_<gender>[_extra]` (`en-Carter_man`, `zh-Anchen_man_bgm`).
    public init(presetID id: String) {
        var language: String?
        var rest = Substring(id)
        if let dash = rest.firstIndex(of: "-") {
            language = String(rest[..<dash]).lowercased()
            rest = rest[rest.index(after: dash)...]
        }
        let parts = rest.split(separator: "_")
        let name = parts.first.map(String.init) ?? String(rest)
        var gender: String?
        if parts.count > 1 {
            switch parts[1].lowercased() {
            case "man", "male": gender = "male"
            case "woman", "female": gender = "female"
            default: gender = nil
            }
        }
        self.init(id: id, name: name, language: language, gender: gender)
    }
}

/// A loaded text-to-speech model behind the speech endpoint.
///
/// Contract: `synthesize` returns at once; the work runs while the stream is consumed, and stops promptly (between
/// speech frames) when the consumer stops iterating or its task is cancelled. Implementations are shared by
/// concurrent requests (the server serialises them per model through a `ModelExecutor`).
public protocol SpeechSynthesizer: Sendable {
    /// Output sample rate in Hz (24000 for every VibeVoice model).
    var sampleRate: Int { get }
    /// The voices this model can use.
    var voices: [VoiceInfo] { get }
    /// Starts speaking `request`.
    func synthesize(_ request: SpeechRequest) -> AsyncThrowingStream<SpeechEvent, any Error>
}
