import Foundation
import Testing

@testable import VVPipelines

@Suite("VoiceCatalog")
struct VoiceCatalogTests {
    @Test("the predecessor's layout: streaming_model/**/*.pt, top-level *.pt, full_model/**/*.wav")
    func layout() throws {
        let folder = try VoiceFolder()
        try folder.add("streaming_model/en-Carter_man.pt")
        try folder.add("streaming_model/experimental/zh-Xinran_woman.pt")
        try folder.add("in-Samuel_man.pt")
        try folder.add("streaming_model/notes.txt")
        try folder.add("streaming_model/.cache/en-Hidden_man.pt")
        try folder.add("streaming_model/.en-Dot_woman.pt")
        try folder.add("other/en-Elsewhere_man.pt")
        try folder.add("full_model/en-Alice_woman.wav")
        try folder.add("full_model/more/zh-Bowen_man.WAV")
        try folder.add("full_model/en-Frank_man.pt")
        let catalog = try VoiceCatalog.scan(folder.url)
        #expect(catalog.streaming.map(\.info.id) == ["en-Carter_man", "in-Samuel_man", "zh-Xinran_woman"])
        #expect(catalog.fullModel.map(\.info.id) == ["en-Alice_woman", "zh-Bowen_man"])
        #expect(catalog.shadowed.isEmpty)
        let xinran = try #require(catalog.streamingEntry(id: "zh-Xinran_woman"))
        #expect(xinran.info == VoiceInfo(id: "zh-Xinran_woman", name: "Xinran", language: "zh", gender: "female"))
        #expect(xinran.file.path.hasSuffix("streaming_model/experimental/zh-Xinran_woman.pt"))
        #expect(catalog.fullModelVoices.allSatisfy { $0.type == "preset" })
    }

    @Test("ids are unique case-insensitively; the first path wins and the rest are reported")
    func duplicates() throws {
        let folder = try VoiceFolder()
        let kept = try folder.add("en-Carter_man.pt")
        let shadowed = try folder.add("streaming_model/EN-carter_MAN.pt")
        let catalog = try VoiceCatalog.scan(folder.url)
        #expect(catalog.streaming.map(\.file) == [kept])
        #expect(catalog.shadowed == [shadowed])
        #expect(catalog.streamingEntry(id: "EN-CARTER_man")?.file == kept)
    }

    @Test("an empty folder has no voices; a missing one is an error")
    func emptyAndMissing() throws {
        let folder = try VoiceFolder()
        let catalog = try VoiceCatalog.scan(folder.url)
        #expect(catalog.streaming.isEmpty && catalog.fullModel.isEmpty)
        let missing = folder.url.appendingPathComponent("nope")
        #expect(throws: VoiceError.directoryNotFound(path: missing.path)) { _ = try VoiceCatalog.scan(missing) }
        let file = try folder.add("file.pt")
        #expect(throws: VoiceError.directoryNotFound(path: file.path)) { _ = try VoiceCatalog.scan(file) }
    }

    @Test("the resolver works over the scanned voices")
    func resolverOverCatalog() throws {
        let folder = try VoiceFolder()
        for name in ["en-Carter_man", "en-Emma_woman", "de-Spk0_man", "in-Samuel_man"] {
            try folder.add("streaming_model/\(name).pt")
        }
        let catalog = try VoiceCatalog.scan(folder.url)
        let resolver = VoiceResolver(voices: catalog.streamingVoices, defaultVoice: nil, strict: false)
        #expect(try resolver.resolve("carter").voice.id == "en-Carter_man")
        #expect(try resolver.resolve("nova").voice.id == "en-Emma_woman")
        #expect(try resolver.resolve("EN-EMMA_WOMAN").match == .exact)
    }
}
