import Foundation
import Testing

@testable import VVServer

@Suite struct ConfigLoaderTests {
    func file(_ json: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("vvcfg-\(UUID().uuidString).json").path
        try json.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test func defaultsMatchThePredecessor() {
        let c = ServerConfiguration()
        #expect(c.server.port == 8899 && c.server.host == "0.0.0.0")
        #expect(c.models.realtime.cfgScale == 1.5 && c.models.realtime.inferenceSteps == 5)
        #expect(c.models.tts15B.cfgScale == 1.3 && c.models.tts15B.inferenceSteps == 10)
        #expect(c.models.asr.maxNewTokens == 32768)
        #expect(c.audio.defaultResponseFormat == "mp3" && c.audio.maxInputChars == 4096)
    }

    @Test func fileSetsNestedKeys() throws {
        var c = ServerConfiguration()
        let path = try file(#"{"server":{"port":9000,"api_keys":["a","b"]},"models":{"asr":{"enabled":true,"path":"/m/asr"}},"audio":{"default_response_format":"WAV"}}"#)
        try ConfigLoader.applyFile(path, to: &c)
        #expect(c.server.port == 9000 && c.server.apiKeys == ["a", "b"])
        #expect(c.models.asr.common.enabled && c.models.asr.common.path == "/m/asr")
        #expect(c.audio.defaultResponseFormat == "wav")
    }

    @Test func unknownKeysAndBadValuesNameTheKey() throws {
        var c = ServerConfiguration()
        let typo = try file(#"{"server":{"prot":1}}"#)
        #expect(throws: ConfigError.unknownKey("server.prot", source: typo)) { try ConfigLoader.applyFile(typo, to: &c) }
        do {
            try ConfigLoader.applyFile(try file(#"{"server":{"port":"eighty"}}"#), to: &c)
            Issue.record("expected an error")
        } catch {
            #expect("\(error)".contains("server.port") && "\(error)".contains("integer"))
        }
        do {
            try ConfigLoader.applyFile(try file(#"{"models":{"realtime":{"dtype":"int4"}}}"#), to: &c)
            Issue.record("expected an error")
        } catch {
            #expect("\(error)".contains("models.realtime.dtype"))
        }
        #expect(throws: ConfigError.self) { try ConfigLoader.applyFile(try file("{nope"), to: &c) }
        #expect(throws: ConfigError.self) { try ConfigLoader.applyFile("/nonexistent/vv.json", to: &c) }
        #expect(throws: ConfigError.self) { try ConfigLoader.applyFile(try file("[1]"), to: &c) }
        #expect(throws: ConfigError.self) { try ConfigLoader.applyFile(try file(#"{"server":5}"#), to: &c) }
    }

    @Test func environmentUsesThePredecessorsNames() throws {
        var c = ServerConfiguration()
        try ConfigLoader.applyEnvironment(
            ["API_PORT": "8080", "API_KEY": "k1, k2", "TTS_MODEL_TYPE": "both", "ASR_ENABLED": "true", "TTS_CFG_SCALE": "2.5",
             "TTS_1_5B_INFERENCE_STEPS": "20", "TTS_DTYPE": "float16", "MAX_QUEUE": "3", "CORS_ALLOW_ORIGINS": "http://a,http://b"],
            to: &c)
        #expect(c.server.port == 8080 && c.server.apiKeys == ["k1", "k2"])
        #expect(c.models.realtime.common.enabled && c.models.tts15B.common.enabled && c.models.asr.common.enabled)
        #expect(c.models.realtime.cfgScale == 2.5 && c.models.tts15B.inferenceSteps == 20)
        #expect(c.models.realtime.common.dtype == "float16" && c.models.tts15B.common.dtype == "float16")
        #expect(c.models.asr.common.maxQueue == 3 && c.models.realtime.common.maxQueue == 3)
        #expect(c.server.corsAllowOrigins == ["http://a", "http://b"])
        var off = ServerConfiguration()
        try ConfigLoader.applyEnvironment(["TTS_ENABLED": "false"], to: &off)
        #expect(!off.models.realtime.common.enabled && !off.models.tts15B.common.enabled)
        #expect(throws: ConfigError.self) { try ConfigLoader.applyEnvironment(["TTS_MODEL_TYPE": "7b"], to: &off) }
        #expect(throws: ConfigError.self) { try ConfigLoader.applyEnvironment(["API_PORT": "99999"], to: &off) }
    }

    @Test func precedenceIsFileThenEnvironmentThenOverrides() throws {
        var c = ServerConfiguration()
        try ConfigLoader.applyFile(try file(#"{"server":{"port":1000,"host":"127.0.0.1"}}"#), to: &c)
        try ConfigLoader.applyEnvironment(["API_PORT": "2000"], to: &c)
        #expect(c.server.port == 2000 && c.server.host == "127.0.0.1")
        try ConfigLoader.applyOverride("server.port=3000", to: &c)
        #expect(c.server.port == 3000)
        #expect(throws: ConfigError.unknownKey("server.nope", source: "--set")) { try ConfigLoader.applyOverride("server.nope=1", to: &c) }
        #expect(throws: ConfigError.self) { try ConfigLoader.applyOverride("server.port", to: &c) }
    }

    @Test func renderRoundTripsAndMasksKeys() throws {
        var c = ServerConfiguration()
        c.server.apiKeys = ["secret"]
        c.models.asr.common.path = "/x"
        let text = ConfigLoader.render(c)
        #expect(!text.contains("secret") && text.contains("***"))
        var back = ServerConfiguration()
        try ConfigLoader.applyFile(try file(text.replacingOccurrences(of: "\"***\"", with: "\"secret\"")), to: &back)
        #expect(back == c, "every key printed by --print-config is accepted back by the file reader")
    }

    @Test func readmeDocumentsEveryKey() throws {
        let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("README.md")
        let text = try String(contentsOf: readme, encoding: .utf8)
        for key in ConfigKeys.all {
            #expect(text.contains("| `\(key.path)`"), "README.md lacks \(key.path): regenerate with `vibevoice serve --list-config-keys`")
        }
    }

    @Test func everyKeyIsDocumentedAndUnique() {
        let paths = ConfigKeys.all.map(\.path)
        #expect(Set(paths).count == paths.count)
        for key in ConfigKeys.all { #expect(!key.doc.isEmpty, "\(key.path) has no documentation") }
    }
}
