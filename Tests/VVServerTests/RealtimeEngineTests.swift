import Foundation
import Testing
import VVCompute
import VVComputeCPU
import VVModelFiles
import VVPipelines

@testable import VVServer

/// The whole path with a real (tiny, random-weight) realtime checkpoint folder: provider → `RealtimeEngine` →
/// `RealtimeSynthesizer` → API → audio bytes. The folder is the VVModelsTests fixture `realtime_tiny/` (made by
/// tools/reference/make_realtime_fixtures.py) laid out as the predecessor's `/models` mount.
@Suite struct RealtimeEngineTests {
    static func fixture(_ name: String, file: String = #filePath) -> URL {
        URL(fileURLWithPath: file).deletingLastPathComponent()
            .appendingPathComponent("../VVModelsTests/Fixtures/realtime_tiny/\(name)").standardizedFileURL
    }

    /// `<root>/VibeVoice-Realtime-0.5B/{config.json,model.safetensors,tokenizer.json}` and
    /// `<root>/voices/streaming_model/en-Tiny_woman.pt`.
    static func modelsRoot() throws -> URL {
        let fm = FileManager.default
        let root = fm.temporaryDirectory.appendingPathComponent("vv-realtime-\(UUID().uuidString)")
        let model = root.appendingPathComponent("VibeVoice-Realtime-0.5B")
        let voices = root.appendingPathComponent("voices/streaming_model")
        try fm.createDirectory(at: model, withIntermediateDirectories: true)
        try fm.createDirectory(at: voices, withIntermediateDirectories: true)
        for name in ["config.json", "model.safetensors", "tokenizer.json"] {
            try fm.copyItem(at: fixture(name), to: model.appendingPathComponent(name))
        }
        try fm.copyItem(at: fixture("voice.pt"), to: voices.appendingPathComponent("en-Tiny_woman.pt"))
        return root
    }

    static func provider() -> CheckpointProvider {
        CheckpointProvider(
            store: ModelStore(offline: true),
            engines: [.realtime: RealtimeEngine(context: ComputeContext(backend: CPUBackend(threads: 2)))],
            allowDownload: false
        ) { _ in }
    }

    @Test func servesSpeechFromATinyCheckpointFolder() async throws {
        let root = try Self.modelsRoot()
        defer { try? FileManager.default.removeItem(at: root) }
        let t = await TestAPI(
            { config in
                config.paths.models = root.path
                config.models.asr.common.enabled = false
                config.models.realtime.defaultVoice = nil
            }, provider: Self.provider())
        let body: [String: Any] = [
            "model": "vibevoice-realtime", "input": "Hi there.", "voice": "en-Tiny_woman", "response_format": "pcm",
            "seed": 7,
        ]
        let r = await t.json("POST", "/v1/audio/speech", body)
        #expect(r.status == 200, "\(String(decoding: r.body.prefix(300), as: UTF8.self))")
        #expect(r.streamError == nil)
        // Whole frames of 3200 s16le samples; the tiny model stops by EOS or at its 64-position cap.
        #expect(r.body.count > 0 && r.body.count % (3200 * 2) == 0)
        let samples = stride(from: 0, to: r.body.count, by: 2).map {
            Int16(bitPattern: UInt16(r.body[$0]) | UInt16(r.body[$0 + 1]) << 8)
        }
        #expect(samples.contains { $0 != 0 }, "audio is not silent")
        // Same seed, same bytes.
        let again = await t.json("POST", "/v1/audio/speech", body)
        #expect(again.body == r.body)
    }

    /// The same request (same seed) gives the same samples whatever the delivery: chunked pcm, chunked wav after its
    /// 44-byte header, and SSE deltas (raw PCM16 for pcm/wav) concatenated.
    @Test func everyDeliveryCarriesTheSameSamples() async throws {
        let root = try Self.modelsRoot()
        defer { try? FileManager.default.removeItem(at: root) }
        let t = await TestAPI(
            { config in
                config.paths.models = root.path
                config.models.asr.common.enabled = false
            }, provider: Self.provider())
        func body(_ format: String, sse: Bool = false) -> [String: Any] {
            ["input": "Hi there.", "voice": "en-Tiny_woman", "response_format": format, "seed": 11,
             "stream_format": sse ? "sse" : "audio"]
        }
        let pcm = await t.json("POST", "/v1/audio/speech", body("pcm"))
        #expect(pcm.status == 200 && !pcm.body.isEmpty)
        let wav = await t.json("POST", "/v1/audio/speech", body("wav"))
        #expect(Array(wav.body.dropFirst(44)) == pcm.body)
        for format in ["pcm", "wav"] {
            let sse = await t.json("POST", "/v1/audio/speech", body(format, sse: true))
            var joined = Data()
            for event in try sse.sseEvents() where event["type"] as? String == "speech.audio.delta" {
                let b64 = try #require(event["audio"] as? String)
                joined += try #require(Data(base64Encoded: b64))
            }
            #expect([UInt8](joined) == pcm.body, "SSE \(format)")
        }
    }

    @Test func textIsNormalisedAsTheReferenceDemo() {
        #expect(RealtimeSynthesizer.normalize("  It\u{2019}s \u{201C}fine\u{201D}\n ") == "It's \"fine\"\n")
    }
}
