import Foundation
import Testing
@testable import VVModelFiles

struct StoreSettingsTests {
    @Test func cacheDirectoryFollowsTheEnvironment() {
        #expect(ModelStore.defaultCacheDirectory(environment: ["VIBEVOICE_CACHE": "/data/vv"]).path == "/data/vv")
        #if os(Linux)
        #expect(ModelStore.defaultCacheDirectory(environment: ["HOME": "/home/u"]).path == "/home/u/.cache/vibevoice")
        #expect(ModelStore.defaultCacheDirectory(environment: ["HOME": "/home/u", "XDG_CACHE_HOME": "/x"]).path == "/x/vibevoice")
        #endif
    }

    @Test func hubSettingsAreReadLikeTheHuggingFaceTools() throws {
        let store = ModelStore.fromEnvironment(["HF_ENDPOINT": "https://hf-mirror.com/", "HF_TOKEN": " hf_abc\n", "HF_HUB_OFFLINE": "1"])
        #expect(store.endpoint.absoluteString == "https://hf-mirror.com")
        #expect(store.token == "hf_abc")
        #expect(store.offline)
        let plain = ModelStore.fromEnvironment(["HF_TOKEN_PATH": "/nonexistent/token"])
        #expect(plain.endpoint.absoluteString == "https://huggingface.co")
        #expect(plain.token == nil)
        #expect(!plain.offline)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("vv-hfhome-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data("hf_fromfile\n".utf8).write(to: folder.appendingPathComponent("token"))
        #expect(ModelStore.hubToken(["HF_HOME": folder.path]) == "hf_fromfile")
        #expect(ModelStore.hubToken(["HF_HOME": folder.path, "HUGGING_FACE_HUB_TOKEN": "hf_legacy"]) == "hf_legacy")
    }

    @Test func modelNamesAndAliases() {
        #expect(ModelKind(name: "realtime-0.5b") == .realtime05B)
        #expect(ModelKind(name: "VibeVoice-Realtime-0.5B") == .realtime05B)
        #expect(ModelKind(name: "microsoft/VibeVoice-ASR") == .asr)
        #expect(ModelKind(name: "1.5B") == .tts15B)
        #expect(ModelKind(name: "7b") == nil)
    }

    @Test func predecessorEnvironmentVariablesBecomeConfiguredPaths() {
        let env = ["TTS_MODEL_PATH": "/models/VibeVoice-Realtime-0.5B", "ASR_MODEL_PATH": "/models/VibeVoice-ASR", "VOICES_PATH": "/models/voices"]
        #expect(ModelPaths.fromEnvironment(.realtime05B, environment: env).model?.path == "/models/VibeVoice-Realtime-0.5B")
        #expect(ModelPaths.fromEnvironment(.realtime05B, environment: env).voices?.path == "/models/voices")
        #expect(ModelPaths.fromEnvironment(.asr, environment: env).voices == nil)
        #expect(ModelPaths.fromEnvironment(.tts15B, environment: env).model == nil)
    }

    @Test func builtinSpecsNameTheResearchedSources() {
        let realtime = ModelSpec.builtin(.realtime05B)
        #expect(realtime.weights.id == "microsoft/VibeVoice-Realtime-0.5B")
        #expect(realtime.tokenizer.id == "Qwen/Qwen2.5-0.5B")
        #expect(realtime.voices?.files.count == 25)
        #expect(realtime.voices?.baseURL.absoluteString == "https://raw.githubusercontent.com/microsoft/VibeVoice/\(ModelSpec.realtimeVoicesCommit)/demo/voices/streaming_model")
        #expect(realtime.voices?.files.contains { $0.name == "en-Carter_man.pt" && $0.checksum == .gitBlobSHA1("1d795ef667e6641eecb8b22452bb853b089bfdbe") } == true)
        #expect(ModelSpec.builtin(.tts15B).tokenizer.id == "Qwen/Qwen2.5-1.5B")
        #expect(ModelSpec.builtin(.tts15B).voices?.subfolder == "full_model")
        #expect(ModelSpec.builtin(.tts15B).voices?.files.count == 9)
        #expect(ModelSpec.builtin(.asr).weights.id == "microsoft/VibeVoice-ASR")
        #expect(ModelSpec.builtin(.asr).tokenizer.id == "Qwen/Qwen2.5-7B")
        #expect(ModelSpec.builtin(.asr).voices == nil)
    }

    @Test func unsafeNamesAreRefused() throws {
        #expect(StoreFiles.isSafeName("model-00001-of-00002.safetensors"))
        for name in ["../x", "/etc/passwd", "a/../../b", "C:\\x", ""] { #expect(!StoreFiles.isSafeName(name), "\(name)") }
        #expect(throws: ModelStoreError.self) { try ShardIndex.shardNames(Data(#"{"weight_map": {"a": "../../evil"}}"#.utf8)) }
        #expect(try ShardIndex.shardNames(Data(#"{"weight_map": {"a": "s2", "b": "s1", "c": "s2"}}"#.utf8)) == ["s1", "s2"])
    }
}

struct PullProgressPrinterTests {
    @Test func plainModePrintsStartDecilesAndVerification() {
        let out = Recorder()
        let printer = PullProgressPrinter(terminal: false) { out.append($0) }
        let total: Int64 = 100_000_000
        printer.handle(.file(FileProgress(component: "r", file: "m.safetensors", bytes: 0, total: total, state: .started(resumedFrom: 0))))
        for step in 1...20 {
            printer.handle(.file(FileProgress(component: "r", file: "m.safetensors", bytes: total * Int64(step) / 20, total: total, state: .downloading)))
        }
        printer.handle(.file(FileProgress(component: "r", file: "m.safetensors", bytes: total, total: total, state: .verified)))
        let lines = out.items
        #expect(lines.first == "r/m.safetensors: downloading 100.0 MB\n")
        #expect(lines.filter { $0.contains("%") }.count == 9)
        #expect(lines.last == "r/m.safetensors: 100.0 MB verified\n")
        #expect(lines.allSatisfy { !$0.contains("\r") })
    }

    @Test func terminalModeRedrawsOneLine() {
        let out = Recorder()
        let printer = PullProgressPrinter(terminal: true) { out.append($0) }
        printer.handle(.file(FileProgress(component: "r", file: "f", bytes: 0, total: 10, state: .started(resumedFrom: 0))))
        printer.handle(.note("hello"))
        #expect(out.items.first?.hasPrefix("\r\u{1B}[2Kf [") == true)
        #expect(out.items.contains("hello\n"))
    }
}
