import Foundation

/// Maps the `voice` a client sends to a voice that exists, in the order of research/api.md §4.1:
/// exact id, short name, OpenAI alias, token match, configured default.
///
/// The predecessors matched raw substrings (`man` matched `woman`) and fell back to the first file on disk (a German
/// voice for `echo`); this resolver does neither.
public struct VoiceResolver: Sendable {
    /// How a name was matched, for logs and the `X-Voice` header.
    public enum Match: String, Sendable { case exact, shortName, alias, token, fallback }

    /// The voices to choose from.
    public let voices: [VoiceInfo]
    /// Voice used when nothing matches (a voice id, short name or alias); `nil` means the first English voice.
    public let defaultVoice: String?
    /// When true, an unmatched name is an error instead of the default voice.
    public let strict: Bool

    /// OpenAI's built-in voice names, by the gender of the voice they stand for.
    public static let openAIVoices: [String: String] = [
        "alloy": "female", "ash": "male", "ballad": "male", "coral": "female", "echo": "male", "fable": "male",
        "onyx": "male", "nova": "female", "sage": "female", "shimmer": "female", "verse": "male", "marin": "female",
        "cedar": "male",
    ]

    /// Creates a resolver over `voices`.
    public init(voices: [VoiceInfo], defaultVoice: String?, strict: Bool) {
        self.voices = voices
        self.defaultVoice = defaultVoice
        self.strict = strict
    }

    /// Resolves `requested` (nil or empty means the default voice).
    public func resolve(_ requested: String?) throws(VoiceResolutionError) -> (voice: VoiceInfo, match: Match) {
        guard !voices.isEmpty else { throw .noVoices }
        let name = (requested ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        if !name.isEmpty, let v = matchName(name) { return v }
        if !name.isEmpty && strict { throw .notFound(requested ?? "", available: voices.map(\.id)) }
        return (defaultResolved(), .fallback)
    }

    private func matchName(_ name: String) -> (VoiceInfo, Match)? {
        if let v = voices.first(where: { $0.id.lowercased() == name }) { return (v, .exact) }
        if let v = preferEnglish(voices.filter { $0.name.lowercased() == name }) { return (v, .shortName) }
        if let gender = Self.openAIVoices[name] {
            let english = voices.filter { $0.language == "en" }
            let pool = english.isEmpty ? voices : english
            let same = pool.filter { $0.gender == gender }
            // Spread the aliases of one gender over the voices of that gender, deterministically.
            let candidates = same.isEmpty ? pool : same
            let aliases = Self.openAIVoices.filter { $0.value == gender }.keys.sorted()
            let slot = (aliases.firstIndex(of: name) ?? 0) % candidates.count
            return (candidates.sorted { $0.id < $1.id }[slot], .alias)
        }
        let wanted = Set(tokens(name))
        if !wanted.isEmpty {
            let hits = voices.filter { wanted.isSubset(of: Set(tokens($0.id.lowercased()))) }
            if let v = preferEnglish(hits) { return (v, .token) }
        }
        return nil
    }

    private func defaultResolved() -> VoiceInfo {
        if let d = defaultVoice?.lowercased(), !d.isEmpty, let (v, _) = matchName(d) { return v }
        return preferEnglish(voices.sorted { $0.id < $1.id }) ?? voices[0]
    }

    private func preferEnglish(_ list: [VoiceInfo]) -> VoiceInfo? {
        list.first(where: { $0.language == "en" }) ?? list.first
    }

    private func tokens(_ s: String) -> [Substring] {
        s.split(whereSeparator: { !$0.isLetter && !$0.isNumber })
    }
}

/// Why a voice could not be resolved.
public enum VoiceResolutionError: Error, Sendable, Equatable {
    /// Strict mode and no voice matched the name.
    case notFound(String, available: [String])
    /// The model has no voices at all.
    case noVoices
}
