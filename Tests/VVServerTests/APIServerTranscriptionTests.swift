import Foundation
import Testing
import VVPipelines

@testable import VVServer

@Suite struct APIServerTranscriptionTests {
    let audio = [UInt8](repeating: 1, count: 4800)  // 2 s with the mock decoder (×10 samples at 24 kHz)

    @Test func jsonIsJoinedText() async throws {
        let t = await TestAPI()
        let r = await t.multipart("/v1/audio/transcriptions", fields: [("model", "whisper-1")], file: audio)
        #expect(r.status == 200 && r.headers["Content-Type"] == "application/json")
        let o = try r.jsonObject()
        #expect(o["text"] as? String == "Hello from the first speaker. And this is the second speaker.")
    }

    @Test func everyResponseFormat() async throws {
        let t = await TestAPI()
        for format in TranscriptFormat.allCases {
            let r = await t.multipart("/v1/audio/transcriptions", fields: [("model", "vibevoice-asr"), ("response_format", format.rawValue)], file: audio)
            #expect(r.status == 200, "\(format): \(r.text)")
            #expect(r.headers["Content-Type"] == (format.isJSON ? "application/json" : "text/plain; charset=utf-8"))
            let expected = TranscriptRenderer.render(
                TranscriptionResult(segments: ScriptedTranscriber().segments(duration: 2), duration: 2, outputTokens: 0), as: format,
                options: { var o = TranscriptRenderOptions(); o.task = "transcribe"; return o }())
            if format == .json || format == .verboseJSON || format == .diarizedJSON {
                let o = try r.jsonObject()
                #expect(o["text"] != nil)
            } else {
                #expect(r.text == expected, "\(format)")
            }
        }
    }

    @Test func bracketedAndPlainArrayNames() async throws {
        let t = await TestAPI()
        for name in ["timestamp_granularities[]", "timestamp_granularities"] {
            let r = await t.multipart(
                "/v1/audio/transcriptions", fields: [("model", "whisper-1"), ("response_format", "verbose_json"), (name, "segment"), (name, "word")],
                file: audio)
            #expect(r.status == 200)
            #expect(try r.jsonObject()["words"] == nil, "no fabricated words")
        }
        let bad = await t.multipart("/v1/audio/transcriptions", fields: [("timestamp_granularities[]", "phoneme")], file: audio)
        #expect(bad.status == 400)
        #expect(try bad.error()["param"] as? String == "timestamp_granularities")
    }

    @Test func knownSpeakerNamesLabelDiarizedOutput() async throws {
        let t = await TestAPI()
        let r = await t.multipart(
            "/v1/audio/transcriptions",
            fields: [("response_format", "diarized_json"), ("known_speaker_names[]", "Alice"), ("known_speaker_names[]", "Bob")], file: audio)
        let segs = try #require(try r.jsonObject()["segments"] as? [[String: Any]])
        #expect(segs.map { $0["speaker"] as? String } == ["Alice", "Bob"])
    }

    @Test func streamedTranscriptionEvents() async throws {
        let t = await TestAPI()
        let r = await t.multipart("/v1/audio/transcriptions", fields: [("stream", "true"), ("response_format", "diarized_json")], file: audio)
        #expect(r.status == 200 && r.headers["Content-Type"] == "text/event-stream")
        let events = try r.sseEvents()
        let types = events.map { $0["type"] as? String ?? "?" }
        #expect(types.filter { $0 == "transcript.text.delta" }.count == 11)
        #expect(types.filter { $0 == "transcript.text.segment" }.count == 2)
        #expect(types.last == "transcript.text.done")
        let deltas = events.compactMap { $0["type"] as? String == "transcript.text.delta" ? $0["delta"] as? String : nil }.joined()
        #expect(deltas == events.last?["text"] as? String)
        let plain = await t.multipart("/v1/audio/transcriptions", fields: [("stream", "true")], file: audio)
        #expect(try plain.sseEvents().allSatisfy { $0["type"] as? String != "transcript.text.segment" })
    }

    @Test func translationsTranscribeWithAWarningOrReject() async throws {
        let t = await TestAPI()
        let r = await t.multipart("/v1/audio/translations", fields: [("model", "whisper-1"), ("response_format", "verbose_json")], file: audio)
        #expect(r.status == 200 && r.headers["X-VibeVoice-Warning"] == "translation-unsupported")
        #expect(try r.jsonObject()["task"] as? String == "translate")
        let diarized = await t.multipart("/v1/audio/translations", fields: [("response_format", "diarized_json")], file: audio)
        #expect(diarized.status == 400)
        let rejecting = await TestAPI { $0.server.translationMode = "reject" }
        let refused = await rejecting.multipart("/v1/audio/translations", fields: [], file: audio)
        #expect(refused.status == 400)
        #expect(try refused.error()["code"] as? String == "unsupported_task")
    }

    @Test func uploadErrors() async throws {
        let t = await TestAPI { $0.audio.maxUploadMB = 1; $0.audio.maxAudioSeconds = 5 }
        let missing = await t.multipart("/v1/audio/transcriptions", fields: [("model", "whisper-1")], file: nil)
        #expect(missing.status == 400)
        #expect(try missing.error()["param"] as? String == "file")
        let big = await t.multipart("/v1/audio/transcriptions", fields: [], file: [UInt8](repeating: 0, count: 1_200_000))
        #expect(big.status == 413)
        let long = await t.multipart("/v1/audio/transcriptions", fields: [], file: [UInt8](repeating: 1, count: 24_000))
        #expect(long.status == 400)
        #expect(try long.error()["code"] as? String == "audio_too_long")
        let undecodable = await t.multipart("/v1/audio/transcriptions", fields: [], file: Array("BAD audio".utf8))
        #expect(undecodable.status == 415)
        let notMultipart = await t.json("POST", "/v1/audio/transcriptions", ["file": "x"])
        #expect(notMultipart.status == 400)
        #expect(try notMultipart.error()["code"] as? String == "invalid_content_type")
        let badTemp = await t.multipart("/v1/audio/transcriptions", fields: [("temperature", "hot")], file: audio)
        #expect(badTemp.status == 400)
        #expect(try badTemp.error()["param"] as? String == "temperature")
        let badFormat = await t.multipart("/v1/audio/transcriptions", fields: [("response_format", "xml")], file: audio)
        #expect(badFormat.status == 400)
        #expect(try badFormat.error()["param"] as? String == "response_format")
    }
}
