import Foundation
import Testing
import VVPipelines

import VVModelFiles

@testable import VVServer

@Suite struct APIServerRoutingTests {
    @Test func modelsListAndLookupWithAliases() async throws {
        let t = await TestAPI()
        let list = try await t.send("GET", "/v1/models").jsonObject()
        let ids = try #require(list["data"] as? [[String: Any]]).compactMap { $0["id"] as? String }
        #expect(ids == ["vibevoice-realtime", "vibevoice-asr"])
        for name in ["vibevoice-realtime", "tts-1", "whisper-1", "microsoft/VibeVoice-ASR"] {
            let r = await t.send("GET", "/v1/models/\(name)")
            #expect(r.status == 200, "\(name)")
            #expect(try r.jsonObject()["object"] as? String == "model")
        }
        let missing = await t.send("GET", "/v1/models/gpt-5")
        #expect(missing.status == 404)
        #expect(try missing.error()["code"] as? String == "model_not_found")
        let disabled = await t.send("GET", "/v1/models/vibevoice-1.5b")
        #expect(disabled.status == 404)
    }

    @Test func disabledModelNamesTheConfigKey() async throws {
        let t = await TestAPI()
        let r = await t.json("POST", "/v1/audio/speech", ["model": "vibevoice-1.5b", "input": "x"])
        #expect(r.status == 404)
        let e = try r.error()
        #expect(e["code"] as? String == "model_not_found")
        #expect((e["message"] as? String)?.contains("models.tts_1_5b.enabled") == true)
    }

    @Test func unknownModelFallsBackUnlessStrict() async throws {
        let lenient = await TestAPI()
        #expect(await lenient.json("POST", "/v1/audio/speech", ["model": "my-tts", "input": "x", "response_format": "pcm"]).status == 200)
        let strict = await TestAPI { $0.server.strictModels = true }
        let r = await strict.json("POST", "/v1/audio/speech", ["model": "my-tts", "input": "x"])
        #expect(r.status == 404)
        #expect(try r.error()["param"] as? String == "model")
        let wrongTask = await strict.json("POST", "/v1/audio/speech", ["model": "whisper-1", "input": "x"])
        #expect(wrongTask.status == 400)
    }

    @Test func tts1HDMapsToRealtimeWhen15BIsOff() async throws {
        let t = await TestAPI()
        let r = await t.json("POST", "/v1/audio/speech", ["model": "tts-1-hd", "input": "x", "response_format": "pcm"])
        #expect(r.status == 200)
    }

    @Test func voicesHaveBothKeysAndFilter() async throws {
        let t = await TestAPI()
        let o = try await t.send("GET", "/v1/audio/voices?model=tts-1").jsonObject()
        let data = try #require(o["data"] as? [[String: Any]])
        let voices = try #require(o["voices"] as? [[String: Any]])
        #expect(data.count == ToneSynthesizer.defaultVoiceIDs.count && voices.count == data.count)
        let carter = try #require(data.first { $0["id"] as? String == "en-Carter_man" })
        #expect(carter["name"] as? String == "Carter" && carter["voice_id"] as? String == "en-Carter_man")
        #expect(carter["language"] as? String == "en" && carter["gender"] as? String == "male")
        #expect(carter["models"] as? [String] == ["vibevoice-realtime"])
        #expect(o["default_voice"] as? String == "en-Carter_man")
        let audioModels = try await t.send("GET", "/v1/audio/models").jsonObject()
        #expect((audioModels["models"] as? [[String: String]])?.map { $0["id"] } == ["vibevoice-realtime"])
    }

    @Test func healthIs503UntilEveryEnabledModelIsReadyAndReportsFailures() async throws {
        let loading = await TestAPI(provider: NeverProvider(), waitForLoad: false)
        let h = await loading.send("GET", "/health")
        #expect(h.status == 503)
        #expect(try h.jsonObject()["status"] as? String == "loading")
        #expect(await loading.send("GET", "/health/ready").status == 503)
        #expect(await loading.send("GET", "/health/live").status == 200)
        let speech = await loading.json("POST", "/v1/audio/speech", ["input": "x"])
        #expect(speech.status == 503 && speech.headers["Retry-After"] != nil)

        let failed = await TestAPI(provider: CheckpointProvider(store: ModelStore(offline: true), engines: [:], allowDownload: false) { _ in })
        let f = try await failed.send("GET", "/health").jsonObject()
        #expect(f["status"] as? String == "error")
        let services = try #require(f["services"] as? [String: Any])
        #expect(services["stt"] as? String == "error")
        #expect((services["tts"] as? [String: String])?["0.5b"] == "error" && (services["tts"] as? [String: String])?["1.5b"] == "disabled")

        let ready = await TestAPI()
        #expect(await ready.send("GET", "/health").status == 200)
        #expect(await ready.send("GET", "/health/ready").status == 200)
    }

    @Test func authRequiresBearerExceptHealthAndOptionallyListings() async throws {
        let t = await TestAPI { $0.server.apiKeys = ["k1", "k2"] }
        #expect(await t.json("POST", "/v1/audio/speech", ["input": "x"]).status == 401)
        let wrong = await t.json("POST", "/v1/audio/speech", ["input": "x"], headers: ["Authorization": "Bearer nope"])
        #expect(wrong.status == 401)
        #expect(try wrong.error()["code"] as? String == "invalid_api_key")
        let ok = await t.json("POST", "/v1/audio/speech", ["input": "x", "response_format": "pcm"], headers: ["Authorization": "Bearer k2"])
        #expect(ok.status == 200)
        #expect(await t.send("GET", "/health").status == 200)
        #expect(await t.send("GET", "/metrics").status == 200)
        #expect(await t.send("GET", "/v1/audio/voices").status == 401)
        let exempt = await TestAPI { $0.server.apiKeys = ["k"]; $0.server.authExemptListings = true }
        #expect(await exempt.send("GET", "/v1/audio/voices").status == 200)
        #expect(await exempt.send("GET", "/v1/models").status == 200)
        #expect(await exempt.json("POST", "/v1/audio/speech", ["input": "x"]).status == 401)
    }

    @Test func corsPreflightAndOrigins() async throws {
        let t = await TestAPI()
        let pre = await t.send(
            "OPTIONS", "/v1/audio/speech", headers: ["Origin": "http://a.test", "Access-Control-Request-Headers": "authorization,content-type"])
        #expect(pre.status == 204)
        #expect(pre.headers["Access-Control-Allow-Origin"] == "*")
        #expect(pre.headers["Access-Control-Allow-Headers"] == "authorization,content-type")
        let restricted = await TestAPI { $0.server.corsAllowOrigins = ["http://ok.test"] }
        let good = await restricted.send("GET", "/v1/models", headers: ["Origin": "http://ok.test"])
        #expect(good.headers["Access-Control-Allow-Origin"] == "http://ok.test" && good.headers["Vary"] == "Origin")
        let bad = await restricted.send("GET", "/v1/models", headers: ["Origin": "http://evil.test"])
        #expect(bad.headers["Access-Control-Allow-Origin"] == nil)
    }

    @Test func requestIDIsEchoedWhenSaneAndMadeOtherwise() async throws {
        let t = await TestAPI()
        #expect(await t.send("GET", "/health", headers: ["X-Request-Id": "abc-123"]).headers["X-Request-Id"] == "abc-123")
        let made = await t.send("GET", "/health", headers: ["X-Request-Id": "bad id\r\nX: y"]).headers["X-Request-Id"]
        #expect(made?.hasPrefix("req_") == true && made?.count == 28)
    }

    @Test func headHasNoBody() async throws {
        let t = await TestAPI()
        let r = await t.send("HEAD", "/health")
        #expect(r.status == 200 && r.body.isEmpty)
    }

    @Test func unknownRoutesAndMethods() async throws {
        let t = await TestAPI()
        let r = await t.send("GET", "/v2/nothing")
        #expect(r.status == 404)
        _ = try r.error()
        let m = await t.send("GET", "/v1/audio/speech")
        #expect(m.status == 405 && m.headers["Allow"] == "POST")
    }

    @Test func metricsCountRequestsByRouteModelStatus() async throws {
        let t = await TestAPI()
        let speech = await t.json("POST", "/v1/audio/speech", ["input": "x", "response_format": "pcm"])
        _ = await t.json("POST", "/v1/audio/speech", ["input": ""])
        let text = await t.send("GET", "/metrics").text
        // Speech made (s16le at 24 kHz: 2 bytes a sample) and one first-audio observation for the one success.
        let audioLine = text.split(separator: "\n").first { $0.hasPrefix(#"vibevoice_speech_audio_seconds_total{model="vibevoice-realtime"}"#) }
        let seconds = audioLine.flatMap { $0.split(separator: " ").last }.flatMap { Double($0) }
        #expect(speech.body.count > 0 && seconds == Double(speech.body.count / 2) / 24_000, "\(audioLine ?? "missing")")
        #expect(text.contains(#"vibevoice_speech_first_audio_seconds_count{model="vibevoice-realtime"} 1"#))
        #expect(text.contains(#"vibevoice_http_requests_total{route="/v1/audio/speech",model="vibevoice-realtime",status="200"} 1"#))
        #expect(text.contains(#"status="400"} 1"#))
        #expect(text.contains(#"vibevoice_queue_depth{model="vibevoice-realtime"} 0"#))
        #expect(text.contains("vibevoice_queue_wait_seconds_bucket"))
        #expect(text.contains("vibevoice_http_request_duration_seconds_bucket"))
    }

    @Test func fullQueueAnswers503WithRetryAfterAndListingsStayResponsive() async throws {
        let t = await TestAPI({ $0.models.realtime.common.maxQueue = 0 }, provider: TestDoubleProvider(delay: .milliseconds(50)))
        let slow = Task { await t.json("POST", "/v1/audio/speech", ["input": String(repeating: "a", count: 80), "response_format": "pcm"]) }
        while t.context.registry.slot(.realtime).executor.activeCount == 0 { try await Task.sleep(for: .milliseconds(1)) }
        let busy = await t.json("POST", "/v1/audio/speech", ["input": "x", "response_format": "pcm"])
        #expect(busy.status == 503 && busy.headers["Retry-After"] != nil)
        #expect(try busy.error()["code"] as? String == "server_busy")
        #expect(await t.send("GET", "/v1/audio/voices").status == 200)
        #expect(await t.send("GET", "/health").status == 200)
        #expect(await slow.value.status == 200)
    }

    @Test func clientThatLeavesWhileQueuedFreesItsPlace() async throws {
        let t = await TestAPI({ $0.models.realtime.common.maxQueue = 1 }, provider: TestDoubleProvider(delay: .milliseconds(30)))
        let executor = t.context.registry.slot(.realtime).executor
        let slow = Task { await t.json("POST", "/v1/audio/speech", ["input": String(repeating: "a", count: 240), "response_format": "pcm"]) }
        while executor.activeCount == 0 { try await Task.sleep(for: .milliseconds(1)) }
        let leaving = await t.send(
            "POST", "/v1/audio/speech", headers: ["Content-Type": "application/json"], body: Array(#"{"input":"x","response_format":"pcm"}"#.utf8),
            connection: ClosingConnection(openFor: 0))
        #expect(leaving.status == 499)
        #expect(executor.queueDepth == 0)
        #expect(await slow.value.status == 200)
    }
}

/// A provider whose models never finish loading.
struct NeverProvider: PipelineProvider {
    func load(_ id: ModelID, configuration: ServerConfiguration) async throws -> LoadedPipeline {
        try await Task.sleep(for: .seconds(3600))
        throw CancellationError()
    }
}
