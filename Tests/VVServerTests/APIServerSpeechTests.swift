import Foundation
import Testing
import VVAudio
import VVPipelines

@testable import VVServer

@Suite struct APIServerSpeechTests {
    @Test func wavStreamsHeaderThenPCMOfTheTone() async throws {
        let t = await TestAPI()
        let r = await t.json("POST", "/v1/audio/speech", ["model": "tts-1", "input": "Hello there friend", "voice": "alloy", "response_format": "wav"])
        #expect(r.status == 200 && r.streamed)
        #expect(r.headers["Content-Type"] == "audio/wav")
        #expect(r.headers["X-Voice"] != nil)
        #expect(r.headers["X-Request-Id"]?.hasPrefix("req_") == true)
        let frames = ToneSynthesizer().frameCount(for: "Hello there friend")
        #expect(r.body.count == 44 + frames * 3200 * 2)
        #expect(Array(r.body[0..<4]) == Array("RIFF".utf8) && Array(r.body[36..<40]) == Array("data".utf8))
        // Sample 100 of the tone, as s16le.
        let expected = Int16((Float(0.5 * sin(2.0 * Double.pi * 440.0 * 100.0 / 24_000.0)) * 32767).rounded())
        let got = Int16(bitPattern: UInt16(r.body[44 + 200]) | UInt16(r.body[44 + 201]) << 8)
        #expect(got == expected)
    }

    @Test func pcmCarriesRateHeaders() async throws {
        let t = await TestAPI()
        let r = await t.json("POST", "/v1/audio/speech", ["model": "vibevoice-realtime", "input": "Hi", "response_format": "pcm"])
        #expect(r.status == 200)
        #expect(r.headers["Content-Type"] == "audio/pcm" && r.headers["X-Sample-Rate"] == "24000")
        #expect(r.headers["X-Channels"] == "1" && r.headers["X-Bit-Depth"] == "16")
        #expect(r.body.count == 3200 * 2)
    }

    @Test func everyAvailableFormatStreamsItsOwnBytes() async throws {
        let t = await TestAPI()
        for format in AudioEncoders.availableFormats {
            let r = await t.json("POST", "/v1/audio/speech", ["input": "Some words here", "response_format": format.rawValue])
            #expect(r.status == 200, "\(format)")
            #expect(r.headers["Content-Type"] == format.contentType)
            #expect(!r.body.isEmpty)
        }
    }

    @Test func unavailableFormatIsA400NotAnotherFormat() async throws {
        let t = await TestAPI()
        for format in AudioFormat.allCases where !AudioEncoders.availableFormats.contains(format) {
            let r = await t.json("POST", "/v1/audio/speech", ["input": "x", "response_format": format.rawValue])
            #expect(r.status == 400)
            #expect(try r.error()["param"] as? String == "response_format")
        }
    }

    @Test func sseDeltasThenDoneWithUsage() async throws {
        let t = await TestAPI()
        let text = "A sentence of some length"
        let r = await t.json("POST", "/v1/audio/speech", ["input": text, "stream_format": "sse", "response_format": "wav"])
        #expect(r.status == 200 && r.headers["Content-Type"] == "text/event-stream")
        let events = try r.sseEvents()
        let frames = ToneSynthesizer().frameCount(for: text)
        #expect(events.count == frames + 1)
        var pcm = Data()
        for e in events.dropLast() {
            #expect(e["type"] as? String == "speech.audio.delta")
            let b64 = try #require(e["audio"] as? String)
            pcm += try #require(Data(base64Encoded: b64))
        }
        #expect(pcm.count == frames * 3200 * 2, "wav over SSE carries raw PCM16")
        let done = try #require(events.last)
        #expect(done["type"] as? String == "speech.audio.done")
        let usage = try #require(done["usage"] as? [String: Int])
        #expect(usage == ["input_tokens": 5, "output_tokens": frames, "total_tokens": 5 + frames])
    }

    @Test func validationErrorsNameTheField() async throws {
        let t = await TestAPI { $0.audio.maxInputChars = 10 }
        let cases: [([String: Any], String?)] = [
            (["model": "tts-1"], "input"),
            (["input": "   "], "input"),
            (["input": 5], "input"),
            (["input": "01234567890"], "input"),
            (["input": "x", "speed": 0.1], "speed"),
            (["input": "x", "speed": "fast"], "speed"),
            (["input": "x", "response_format": "ogg"], "response_format"),
            (["input": "x", "stream_format": "ws"], "stream_format"),
            (["input": "x", "voice": 3], "voice"),
            (["input": "x", "voice": ["name": "a"]], "voice"),
            (["input": "x", "inference_steps": 2.5], "inference_steps"),
            (["input": "x", "cfg_scale": 100], "cfg_scale"),
            (["input": "x", "model": 7], "model"),
        ]
        for (body, param) in cases {
            let r = await t.json("POST", "/v1/audio/speech", body)
            #expect(r.status == 400, "\(body)")
            #expect(try r.error()["param"] as? String == param, "\(body): \(r.text)")
            #expect(try r.error()["type"] as? String == "invalid_request_error")
        }
    }

    @Test func malformedJSONAndWrongShapes() async throws {
        let t = await TestAPI()
        for raw in ["{", "[]", "\"text\"", "", "{\"input\": \"x\"", "\u{0}\u{1}", "{\"input\": \"x\"} trailing"] {
            let r = await t.send("POST", "/v1/audio/speech", headers: ["Content-Type": "application/json"], body: Array(raw.utf8))
            #expect(r.status == 400, "\(raw)")
            _ = try r.error()
        }
    }

    @Test func oversizedJSONBodyIs413() async throws {
        let t = await TestAPI { $0.server.maxJSONBodyKB = 1 }
        let r = await t.json("POST", "/v1/audio/speech", ["input": String(repeating: "a", count: 2000)])
        #expect(r.status == 413)
        #expect(try r.error()["code"] as? String == "request_too_large")
    }

    @Test func voiceObjectFormAndStrictVoices() async throws {
        let t = await TestAPI { $0.models.realtime.strictVoices = true }
        let ok = await t.json("POST", "/v1/audio/speech", ["input": "x", "voice": ["id": "en-Davis_man"], "response_format": "pcm"])
        #expect(ok.status == 200 && ok.headers["X-Voice"] == "en-Davis_man")
        let bad = await t.json("POST", "/v1/audio/speech", ["input": "x", "voice": "nobody", "response_format": "pcm"])
        #expect(bad.status == 400)
        #expect(try bad.error()["code"] as? String == "voice_not_found")
    }

    @Test func ignoresUnknownFieldsAndInstructions() async throws {
        let t = await TestAPI()
        let r = await t.json(
            "POST", "/v1/audio/speech", ["input": "x", "instructions": "cheerful", "foo": [1, 2], "response_format": "pcm"])
        #expect(r.status == 200)
    }

    @Test func speedTimeStretchesToTheExactLength() async throws {
        let t = await TestAPI()
        let text = String(repeating: "a", count: 24)  // 3 frames = 9600 samples
        for speed in [0.5, 1.5, 4.0] {
            let r = await t.json("POST", "/v1/audio/speech", ["input": text, "speed": speed, "response_format": "pcm"])
            #expect(r.status == 200)
            #expect(r.body.count == 2 * Int((9600.0 / speed).rounded()), "speed \(speed)")
        }
    }

    @Test func synthesizerFailureBeforeAudioIsAProperError() async throws {
        let t = await TestAPI(provider: FailingProvider())
        let r = await t.json("POST", "/v1/audio/speech", ["input": "x", "response_format": "pcm"])
        #expect(r.status == 500 && !r.streamed)
        #expect(try r.error()["type"] as? String == "server_error")
    }
}

struct FailingSynthesizer: SpeechSynthesizer {
    let sampleRate = 24_000
    let voices = [VoiceInfo(presetID: "en-Carter_man")]
    func synthesize(_ request: SpeechRequest) -> AsyncThrowingStream<SpeechEvent, any Error> {
        AsyncThrowingStream { $0.finish(throwing: ModelLoadError("boom")) }
    }
}

struct FailingProvider: PipelineProvider {
    func load(_ id: ModelID, configuration: ServerConfiguration) async throws -> LoadedPipeline {
        id.task == .speech ? .speech(FailingSynthesizer()) : .transcription(ScriptedTranscriber())
    }
}
