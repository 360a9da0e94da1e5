import Foundation
import Testing
@testable import VVModelFiles

#if canImport(Glibc) || canImport(Darwin)

/// Runs the built `vibevoice` executable as separate processes against the loopback hub.
@Suite(.serialized) struct ModelsCommandProcessTests {
    /// The `vibevoice` binary next to the test bundle, if this build made one.
    static var binary: URL? {
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<4 {
            let candidate = folder.appendingPathComponent("vibevoice")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            folder.deleteLastPathComponent()
        }
        return nil
    }

    /// The built-in `asr` model's repositories, served with tiny files.
    static func asrServer() throws -> (HubTestServer, [String: [UInt8]]) {
        var random = SeededBytes(seed: 99)
        let shards = ["model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors"]
        let index = #"{"weight_map": {"a": "\#(shards[0])", "b": "\#(shards[1])"}}"#
        var files: [String: [UInt8]] = ["config.json": Array(#"{"model_type": "vibevoice"}"#.utf8), "model.safetensors.index.json": Array(index.utf8)]
        files[shards[0]] = random.bytes(400_000)
        files[shards[1]] = random.bytes(300_000)
        let server = try HubTestServer(repos: [
            "microsoft/VibeVoice-ASR": HubTestServer.Repo(files: files, lfs: Set(shards)),
            "Qwen/Qwen2.5-7B": HubTestServer.Repo(files: ["tokenizer.json": Array(#"{"model": {}}"#.utf8), "tokenizer_config.json": Array("{}".utf8)], lfs: []),
        ])
        return (server, files)
    }

    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static func start(_ binary: URL, _ arguments: [String]) throws -> (Process, Pipe, Pipe) {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        var environment = ProcessInfo.processInfo.environment
        for key in ["HF_ENDPOINT", "HF_TOKEN", "HF_HUB_OFFLINE", "VIBEVOICE_CACHE"] { environment[key] = nil }
        process.environment = environment
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        return (process, out, err)
    }

    static func finish(_ started: (Process, Pipe, Pipe)) -> Run {
        let out = started.1.fileHandleForReading.readDataToEndOfFile()
        let err = started.2.fileHandleForReading.readDataToEndOfFile()
        started.0.waitUntilExit()
        return Run(status: started.0.terminationStatus, stdout: String(decoding: out, as: UTF8.self), stderr: String(decoding: err, as: UTF8.self))
    }

    @Test func twoProcessesPullingTheSameModelShareTheWork() throws {
        guard let binary = Self.binary else {
            print("SKIP twoProcessesPullingTheSameModelShareTheWork: no built vibevoice executable next to the tests; run `swift build --build-tests` first")
            return
        }
        let (server, files) = try Self.asrServer()
        defer { server.stop() }
        server.throttle(milliseconds: 40)
        let cache = FileManager.default.temporaryDirectory.appendingPathComponent("vv-cli-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: cache) }
        let arguments = ["models", "pull", "asr", "--cache-dir", cache.path, "--endpoint", server.endpoint.absoluteString, "--plain"]
        let first = try Self.start(binary, arguments)
        let second = try Self.start(binary, arguments)
        let runs = [Self.finish(first), Self.finish(second)]
        for run in runs {
            #expect(run.status == 0, "stderr: \(run.stderr)")
            #expect(run.stdout.contains("asr: ready"))
        }
        for (name, bytes) in files {
            let cached = try Data(contentsOf: cache.appendingPathComponent("models/microsoft/VibeVoice-ASR/\(name)"))
            #expect(Array(cached) == bytes, "\(name)")
        }
        for shard in files.keys where shard.hasSuffix(".safetensors") {
            #expect(server.requests.filter { $0.onCDN && $0.path.hasSuffix(shard) }.count == 1, "\(shard) fetched once")
        }
        #expect(runs.contains { $0.stderr.contains("verified") })
        // The transfers take ~0.5 s, so the processes overlap: one waits on the other's lock.
        #expect(runs.contains { $0.stderr.contains("waiting for another vibevoice process") })

        let list = Self.finish(try Self.start(binary, ["models", "list", "--cache-dir", cache.path]))
        #expect(list.status == 0)
        #expect(list.stdout.contains("asr            complete"))
        #expect(list.stdout.contains("realtime-0.5b  not downloaded"))

        let removed = Self.finish(try Self.start(binary, ["models", "rm", "asr", "--cache-dir", cache.path]))
        #expect(removed.status == 0)
        #expect(!FileManager.default.fileExists(atPath: cache.appendingPathComponent("models/microsoft/VibeVoice-ASR").path))
        #expect(!FileManager.default.fileExists(atPath: cache.appendingPathComponent("models/Qwen/Qwen2.5-7B").path))
    }

    @Test func failuresAreOneLineOnStandardErrorWithNonZeroExit() throws {
        guard let binary = Self.binary else {
            print("SKIP failuresAreOneLineOnStandardErrorWithNonZeroExit: no built vibevoice executable next to the tests")
            return
        }
        let (server, _) = try Self.asrServer()
        let endpoint = server.endpoint.absoluteString
        server.stop()
        Thread.sleep(forTimeInterval: 0.3)
        let cache = FileManager.default.temporaryDirectory.appendingPathComponent("vv-cli-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: cache) }
        let run = Self.finish(try Self.start(binary, ["models", "pull", "asr", "--cache-dir", cache.path, "--endpoint", endpoint, "--plain"]))
        #expect(run.status != 0)
        let errorLines = run.stderr.split(separator: "\n").filter { $0.hasPrefix("Error:") }
        #expect(errorLines.count == 1)
        #expect(errorLines.first?.contains("cannot reach 127.0.0.1") == true)
        let unknown = Self.finish(try Self.start(binary, ["models", "pull", "7x", "--cache-dir", cache.path]))
        #expect(unknown.status != 0)
        #expect(unknown.stderr.contains("unknown model '7x'"))
    }
}

#endif
