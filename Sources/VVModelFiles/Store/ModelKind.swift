/// The models `vibevoice models pull` knows how to fetch.
public enum ModelKind: String, CaseIterable, Sendable, Codable, CustomStringConvertible {
    /// VibeVoice-Realtime-0.5B: streaming TTS with `.pt` voice presets.
    case realtime05B = "realtime-0.5b"
    /// VibeVoice-1.5B: multi-speaker TTS that clones `.wav` voice samples.
    case tts15B = "1.5b"
    /// VibeVoice-ASR (7B): speech to text with diarization and timestamps.
    case asr = "asr"

    /// Parses a model name or alias, case-insensitively: `realtime-0.5b`, `realtime`, `0.5b`, `vibevoice-realtime`,
    /// `1.5b`, `vibevoice-1.5b`, `asr`, `vibevoice-asr`, or a hub repository name such as `VibeVoice-ASR`.
    public init?(name: String) {
        let key = name.lowercased().replacingOccurrences(of: "microsoft/", with: "")
        switch key {
        case "realtime-0.5b", "realtime", "0.5b", "vibevoice-realtime", "vibevoice-realtime-0.5b", "tts_0.5b", "tts-0.5b":
            self = .realtime05B
        case "1.5b", "vibevoice-1.5b", "tts_1.5b", "tts-1.5b":
            self = .tts15B
        case "asr", "vibevoice-asr", "7b-asr":
            self = .asr
        default:
            return nil
        }
    }

    /// The canonical name, as typed on the command line.
    public var description: String { rawValue }
}
