import Testing

@testable import VVPipelines

@Suite struct VoiceResolverTests {
    let voices = ["en-Carter_man", "en-Emma_woman", "en-Grace_woman", "de-Spk0_man", "en-Mike_man", "in-Samuel_man"]
        .map(VoiceInfo.init(presetID:))

    func resolver(default d: String? = nil, strict: Bool = false) -> VoiceResolver {
        VoiceResolver(voices: voices, defaultVoice: d, strict: strict)
    }

    @Test func parsesUpstreamPresetNames() {
        let v = VoiceInfo(presetID: "en-Carter_man")
        #expect(v.name == "Carter" && v.language == "en" && v.gender == "male")
        let w = VoiceInfo(presetID: "zh-Xinran_woman_bgm")
        #expect(w.name == "Xinran" && w.language == "zh" && w.gender == "female")
        let plain = VoiceInfo(presetID: "narrator")
        #expect(plain.name == "narrator" && plain.language == nil && plain.gender == nil)
    }

    @Test func exactIDIsCaseInsensitive() throws {
        let r = try resolver().resolve("EN-EMMA_WOMAN")
        #expect(r.voice.id == "en-Emma_woman" && r.match == .exact)
    }

    @Test func shortNameMatches() throws {
        let r = try resolver().resolve("carter")
        #expect(r.voice.id == "en-Carter_man" && r.match == .shortName)
    }

    @Test func openAIAliasesMapToExistingVoicesOfTheRightGender() throws {
        for (alias, gender) in VoiceResolver.openAIVoices {
            let r = try resolver().resolve(alias)
            #expect(r.match == .alias)
            #expect(r.voice.gender == gender, "\(alias) → \(r.voice.id)")
            #expect(r.voice.language == "en", "\(alias) must map to an English voice, got \(r.voice.id)")
        }
    }

    @Test func tokenMatchNeverMatchesManInsideWoman() throws {
        let r = try resolver().resolve("woman")
        #expect(r.voice.gender == "female" && r.match == .token)
        let m = try resolver().resolve("man")
        #expect(m.voice.gender == "male")
    }

    @Test func unknownFallsBackToConfiguredDefaultNotFirstFile() throws {
        let r = try resolver(default: "grace").resolve("no-such-voice")
        #expect(r.voice.id == "en-Grace_woman" && r.match == .fallback)
        let none = try resolver().resolve(nil)
        #expect(none.voice.language == "en", "without a default the fallback is an English voice, not \(none.voice.id)")
    }

    @Test func strictModeRefusesUnknownNames() {
        #expect(throws: VoiceResolutionError.self) { try resolver(strict: true).resolve("nobody") }
        #expect((try? resolver(strict: true).resolve(nil)) != nil, "an absent voice still uses the default in strict mode")
    }

    @Test func emptyCatalogueIsAnError() {
        #expect(throws: VoiceResolutionError.noVoices) { try VoiceResolver(voices: [], defaultVoice: nil, strict: false).resolve("a") }
    }
}
