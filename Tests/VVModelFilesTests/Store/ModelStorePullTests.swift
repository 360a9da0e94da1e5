import Foundation
import Testing
@testable import VVModelFiles

#if canImport(Glibc) || canImport(Darwin)

@Suite(.serialized) struct ModelStorePullTests {
    @Test func fullPullPlacesVerifiedFilesAndMarksFoldersComplete() async throws {
        let fixture = try StoreFixture()
        defer { fixture.tearDown() }
        let store = fixture.store()
        let log = EventLog()
        let folder = try await store.pull(.realtime05B, progress: log.handler)

        #expect(folder.weights.path == fixture.weightsFolder.path)
        for name in ["config.json", "preprocessor_config.json", "model.safetensors.index.json"] + StoreFixture.shards {
            #expect(fixture.cached("models/\(StoreFixture.weightsRepo)/\(name)") == fixture.weights[name], "\(name)")
        }
        #expect(fixture.cached("models/\(StoreFixture.weightsRepo)/README.md") == nil)
        for (name, bytes) in fixture.tokenizer {
            #expect(fixture.cached("models/\(StoreFixture.tokenizerRepo)/\(name)") == bytes)
        }
        for (name, bytes) in fixture.voices { #expect(fixture.cached("voices/streaming_model/\(name)") == bytes) }
        #expect(folder.voiceDirectory?.path == fixture.cache.appendingPathComponent("voices/streaming_model").path)
        #expect(store.locate(.realtime05B) == folder)
        #expect(ModelFolder.missingWeights(in: folder.weights).isEmpty)
        #expect(log.states(StoreFixture.shards[0]).last == .verified)
        #expect(!FileManager.default.fileExists(atPath: fixture.weightsFolder.appendingPathComponent(".partial").path))
        let row = try #require(store.list().first { $0.kind == .realtime05B })
        #expect(row.isComplete)
        #expect(row.components.map(\.state) == [.complete, .complete, .complete])

        // A second pull asks the hub again but downloads nothing.
        let before = fixture.server.requests.filter { $0.onCDN }.count
        let again = EventLog()
        _ = try await store.pull(.realtime05B, progress: again.handler)
        #expect(fixture.server.requests.filter { $0.onCDN }.count == before)
        #expect(again.states(StoreFixture.shards[1]) == [.skipped])
    }

    @Test func interruptedTransferResumesWithARangeRequest() async throws {
        let fixture = try StoreFixture()
        defer { fixture.tearDown() }
        fixture.server.cut(StoreFixture.shards[0], after: 100_000)
        let log = EventLog()
        _ = try await fixture.store().pull(.realtime05B, progress: log.handler)
        let gets = fixture.downloads(of: StoreFixture.shards[0])
        #expect(gets.count == 2)
        #expect(gets.first?.range == nil)
        let resumedAt = gets.last?.range.flatMap { Int($0.dropFirst(6).dropLast()) } ?? 0
        #expect(resumedAt > 0 && resumedAt <= 100_000)
        #expect(fixture.cached("models/\(StoreFixture.weightsRepo)/\(StoreFixture.shards[0])") == fixture.weights[StoreFixture.shards[0]])
        #expect(log.notes.contains { $0.contains("retrying") })
    }

    @Test func interruptedPullLeavesNothingLookingCompleteAndTheNextPullResumes() async throws {
        let fixture = try StoreFixture()
        defer { fixture.tearDown() }
        fixture.server.cut(StoreFixture.shards[1], after: 50_000)
        let store = fixture.store(maxAttempts: 1)
        await #expect(throws: ModelStoreError.self) { try await store.pull(.realtime05B) }
        let shard = fixture.weightsFolder.appendingPathComponent(StoreFixture.shards[1])
        #expect(!FileManager.default.fileExists(atPath: shard.path))
        #expect(!FileManager.default.fileExists(atPath: fixture.weightsFolder.appendingPathComponent(".vibevoice-complete.json").path))
        #expect(store.locate(.realtime05B) == nil)
        #expect(store.list().first { $0.kind == .realtime05B }?.components.first?.state == .partial)
        let parts = try FileManager.default.contentsOfDirectory(atPath: fixture.weightsFolder.appendingPathComponent(".partial").path)
        #expect(parts.count == 1 && parts[0].hasPrefix(StoreFixture.shards[1]))

        _ = try await store.pull(.realtime05B)
        let gets = fixture.downloads(of: StoreFixture.shards[1])
        #expect(gets.count == 2)
        #expect(gets.last?.range?.hasPrefix("bytes=") == true && gets.last?.range != "bytes=0-")
        #expect(fixture.cached("models/\(StoreFixture.weightsRepo)/\(StoreFixture.shards[1])") == fixture.weights[StoreFixture.shards[1]])
        #expect(fixture.downloads(of: StoreFixture.shards[0]).count == 1)
        #expect(store.locate(.realtime05B) != nil)
    }

    @Test func checksumMismatchIsRejectedAndTheBadFileDiscarded() async throws {
        let fixture = try StoreFixture()
        defer { fixture.tearDown() }
        fixture.server.corrupt(StoreFixture.shards[1])
        let store = fixture.store()
        do {
            _ = try await store.pull(.realtime05B)
            Issue.record("pull of a corrupted shard succeeded")
        } catch let error as ModelStoreError {
            guard case .checksumMismatch(let file, let expected, let actual) = error else {
                Issue.record("wrong error: \(error)")
                return
            }
            #expect(file == StoreFixture.shards[1])
            #expect(expected == .sha256(SHA256.hex(fixture.weights[StoreFixture.shards[1]]!)))
            #expect(expected != actual)
            #expect(error.description.contains("checksum mismatch"))
        }
        #expect(!FileManager.default.fileExists(atPath: fixture.weightsFolder.appendingPathComponent(StoreFixture.shards[1]).path))
        let partial = fixture.weightsFolder.appendingPathComponent(".partial")
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: partial.path)) ?? []).isEmpty)
        #expect(store.locate(.realtime05B) == nil)
        #expect(store.list().first { $0.kind == .realtime05B }?.isComplete == false)
    }

    @Test func plainMirrorWithoutTheListingAPIUsesHeadMetadata() async throws {
        let fixture = try StoreFixture()
        defer { fixture.tearDown() }
        fixture.server.disableAPI()
        let folder = try await fixture.store().pull(.realtime05B)
        #expect(fixture.cached("models/\(StoreFixture.weightsRepo)/\(StoreFixture.shards[0])") == fixture.weights[StoreFixture.shards[0]])
        let heads = fixture.server.requests.filter { $0.method == "HEAD" }.map(\.path)
        #expect(heads.contains("/\(StoreFixture.weightsRepo)/resolve/main/\(StoreFixture.shards[0])"))
        #expect(heads.contains("/\(StoreFixture.weightsRepo)/resolve/main/config.json"))
        #expect(folder.tokenizer.lastPathComponent == "Qwen2.5-Tiny")
    }

    @Test func renamedRepositoryRedirectIsFollowedOnAPlainMirror() async throws {
        let fixture = try StoreFixture()
        defer { fixture.tearDown() }
        fixture.server.disableAPI()
        fixture.server.rename("test/Old-Name", to: StoreFixture.weightsRepo)
        var store = fixture.store()
        var spec = fixture.spec
        spec.weights = HubRepo("test/Old-Name")
        store.specOverrides[.realtime05B] = spec
        let folder = try await store.pull(.realtime05B)
        #expect(folder.weights.path.hasSuffix("models/test/Old-Name"))
        for shard in StoreFixture.shards {
            #expect(fixture.cached("models/test/Old-Name/\(shard)") == fixture.weights[shard])
        }
        #expect(fixture.server.requests.contains { $0.method == "HEAD" && $0.path == "/test/Old-Name/resolve/main/config.json" })
    }

    @Test func twoConcurrentPullsDownloadEachFileOnce() async throws {
        let fixture = try StoreFixture()
        defer { fixture.tearDown() }
        let store = fixture.store()
        let waits = EventLog()
        async let first = store.pull(.realtime05B, progress: waits.handler)
        async let second = store.pull(.realtime05B, progress: waits.handler)
        let (a, b) = try await (first, second)
        #expect(a == b)
        for shard in StoreFixture.shards {
            #expect(fixture.downloads(of: shard).count == 1, "\(shard)")
            #expect(fixture.cached("models/\(StoreFixture.weightsRepo)/\(shard)") == fixture.weights[shard])
        }
        #expect(waits.notes.contains { $0.contains("waiting for another vibevoice process") })
    }

    @Test func gatedRepositoryNeedsTheTokenWhichNeverReachesTheCDN() async throws {
        let fixture = try StoreFixture(gatedToken: "s3cret")
        defer { fixture.tearDown() }
        do {
            _ = try await fixture.store().pull(.realtime05B)
            Issue.record("pull without token succeeded")
        } catch let error as ModelStoreError {
            #expect(error == .unauthorized(repo: StoreFixture.weightsRepo, status: 401, tokenSent: false, message: "Access to model \(StoreFixture.weightsRepo) is restricted."))
            #expect(error.description.contains("HF_TOKEN"))
        }
        await #expect(throws: ModelStoreError.unauthorized(repo: StoreFixture.weightsRepo, status: 401, tokenSent: true, message: "Access to model \(StoreFixture.weightsRepo) is restricted.")) {
            try await fixture.store(token: "wrong").pull(.realtime05B)
        }
        _ = try await fixture.store(token: "s3cret").pull(.realtime05B)
        let requests = fixture.server.requests
        #expect(requests.contains { !$0.onCDN && $0.authorization == "Bearer s3cret" })
        #expect(requests.filter(\.onCDN).allSatisfy { $0.authorization == nil })
        #expect(requests.filter { $0.path.hasPrefix("/raw/") }.allSatisfy { $0.authorization == nil })
    }

    @Test func missingRepositoryIsA404Error() async throws {
        let fixture = try StoreFixture()
        defer { fixture.tearDown() }
        var store = fixture.store()
        var spec = fixture.spec
        spec.weights = HubRepo("test/Nope")
        store.specOverrides[.realtime05B] = spec
        do {
            _ = try await store.pull(.realtime05B)
            Issue.record("pull of a missing repo succeeded")
        } catch let error as ModelStoreError {
            guard case .notFound(let url) = error else { Issue.record("wrong error: \(error)"); return }
            #expect(url.contains("test/Nope"))
            #expect(error.description.hasPrefix("not found (HTTP 404)"))
        }
    }

    @Test func unreachableHostAndOfflineModeGiveClearErrors() async throws {
        let fixture = try StoreFixture()
        defer { fixture.tearDown() }
        let endpoint = fixture.server.endpoint
        fixture.server.stop()
        try await Task.sleep(for: .milliseconds(300))
        var store = ModelStore(cacheDirectory: fixture.cache, endpoint: endpoint)
        store.specOverrides = [.realtime05B: fixture.spec]
        store.retryDelay = .zero
        do {
            _ = try await store.pull(.realtime05B)
            Issue.record("pull from a stopped server succeeded")
        } catch let error as ModelStoreError {
            guard case .unreachable(let host, let reason) = error else { Issue.record("wrong error: \(error)"); return }
            #expect(host == "127.0.0.1:\(fixture.server.hubPort)")
            #expect(reason == "connection refused")
            #expect(error.description.contains("HF_ENDPOINT"))
        }
        store.offline = true
        await #expect(throws: ModelStoreError.offline(model: "realtime-0.5b")) { try await store.pull(.realtime05B) }
        await #expect(throws: ModelStoreError.offline(model: "realtime-0.5b")) { try await store.resolve(.realtime05B) }
    }

    @Test func notEnoughDiskSpaceFailsBeforeDownloading() async throws {
        let fixture = try StoreFixture()
        defer { fixture.tearDown() }
        var store = fixture.store()
        store.freeSpace = { _ in 100_000 }
        do {
            _ = try await store.pull(.realtime05B)
            Issue.record("pull without space succeeded")
        } catch let error as ModelStoreError {
            guard case .diskFull(_, let needed, let available) = error else { Issue.record("wrong error: \(error)"); return }
            #expect(needed == Int64(500_000 + fixture.weights["config.json"]!.count + fixture.weights["preprocessor_config.json"]!.count))
            #expect(available == 100_000)
            #expect(error.description.contains("not enough disk space"))
        }
        #expect(fixture.server.requests.filter(\.onCDN).isEmpty)
    }
}

#endif
