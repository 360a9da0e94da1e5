/// The models this server can serve, by canonical id.
public enum ModelID: String, CaseIterable, Sendable {
    case realtime = "vibevoice-realtime"
    case tts15B = "vibevoice-1.5b"
    case asr = "vibevoice-asr"

    /// What the model does.
    public enum Task: Sendable { case speech, transcription }

    /// Speech or transcription.
    public var task: Task { self == .asr ? .transcription : .speech }

    /// The configuration section that enables it (`models.<key>`).
    public var configKey: String {
        switch self {
        case .realtime: "realtime"
        case .tts15B: "tts_1_5b"
        case .asr: "asr"
        }
    }

    /// Human-readable name for `/v1/audio/models`.
    public var displayName: String {
        switch self {
        case .realtime: "VibeVoice Realtime 0.5B"
        case .tts15B: "VibeVoice 1.5B"
        case .asr: "VibeVoice ASR"
        }
    }

    /// The Hugging Face repository the checkpoint comes from.
    public var huggingFaceRepo: String {
        switch self {
        case .realtime: "microsoft/VibeVoice-Realtime-0.5B"
        case .tts15B: "microsoft/VibeVoice-1.5B"
        case .asr: "microsoft/VibeVoice-ASR"
        }
    }

    /// Names that mean this model (lower-case): OpenAI's, the C++ port's, the HF repository ids.
    /// `tts-1-hd` is resolved separately (its target is configurable).
    public var aliases: [String] {
        switch self {
        case .realtime:
            ["tts-1", "tts-1-1106", "gpt-4o-mini-tts", "gpt-4o-mini-tts-2025-12-15", "vibevoice-0.5b", "tts_0.5b",
             "vibevoice-realtime-0.5b", "microsoft/vibevoice-realtime-0.5b"]
        case .tts15B:
            ["tts_1.5b", "tts-1-hd-1106", "vibevoice-1.5b-tts", "microsoft/vibevoice-1.5b", "vibevoice/vibevoice-1.5b"]
        case .asr:
            ["whisper-1", "gpt-4o-transcribe", "gpt-4o-mini-transcribe", "gpt-4o-mini-transcribe-2025-12-15",
             "gpt-4o-transcribe-diarize", "gpt-transcribe", "asr", "vibevoice-asr-7b", "microsoft/vibevoice-asr"]
        }
    }
}
