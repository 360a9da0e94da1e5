import VVModelFiles

/// Why the voice catalog or the preset cache could not give a voice.
public enum VoiceError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The voices folder does not exist or is not a folder.
    case directoryNotFound(path: String)
    /// The voices folder could not be listed.
    case directoryUnreadable(path: String, reason: String)
    /// No streaming (0.5B) preset has this id.
    case unknownVoice(String, available: [String])
    /// The preset file exists but could not be loaded.
    case presetUnreadable(voice: String, path: String, underlying: TorchFileError)

    /// One-line description naming what is wrong.
    public var description: String {
        switch self {
        case .directoryNotFound(let path): return "voices folder \(path) does not exist"
        case .directoryUnreadable(let path, let reason): return "cannot list voices folder \(path): \(reason)"
        case .unknownVoice(let id, let available):
            return "no voice preset '\(id)' (available: \(available.joined(separator: ", ")))"
        case .presetUnreadable(let voice, let path, let underlying):
            return "voice '\(voice)' (\(path)): \(underlying)"
        }
    }
}
