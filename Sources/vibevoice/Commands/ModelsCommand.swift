import ArgumentParser
import Foundation
import VVModelFiles
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#elseif os(Windows)
import ucrt
#endif

/// `vibevoice models`: download, list and remove the models in the local cache.
struct Models: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models",
        abstract: "Download, list and remove models in the local cache.",
        discussion: """
            Models: \(ModelKind.allCases.map(\.rawValue).joined(separator: ", ")).
            Environment: HF_ENDPOINT (hub mirror), HF_TOKEN (gated or private repositories), HF_HUB_OFFLINE=1,
            VIBEVOICE_CACHE (cache folder), VIBEVOICE_VOICES_ENDPOINT (mirror of raw.githubusercontent.com).
            """,
        subcommands: [Pull.self, List.self, Remove.self, Verify.self])

    /// Flags shared by the subcommands.
    struct StoreOptions: ParsableArguments {
        @Option(name: .customLong("cache-dir"), help: "Cache folder (default: VIBEVOICE_CACHE or the platform cache).")
        var cacheDirectory: String?

        @Option(help: "Hugging Face endpoint (default: HF_ENDPOINT or https://huggingface.co).")
        var endpoint: String?

        @Flag(help: "Never use the network (like HF_HUB_OFFLINE=1).")
        var offline = false

        /// The store these flags and the environment describe.
        func store() throws -> ModelStore {
            var endpointURL: URL?
            if let endpoint {
                guard let url = URL(string: endpoint), url.scheme == "http" || url.scheme == "https" else {
                    throw ValidationError("--endpoint must be an http(s) URL, got '\(endpoint)'")
                }
                endpointURL = url
            }
            return ModelStore.fromEnvironment(
                cacheDirectory: cacheDirectory.map { URL(fileURLWithPath: $0, isDirectory: true) },
                endpoint: endpointURL, offline: offline ? true : nil)
        }
    }

    /// Whether standard error is a terminal (progress bar) or a pipe or file (plain lines).
    static var standardErrorIsTerminal: Bool {
        #if os(Windows)
        return _isatty(2) != 0
        #else
        return isatty(2) != 0
        #endif
    }

    /// Parses model names, failing with the list of known ones.
    static func kinds(_ names: [String]) throws -> [ModelKind] {
        try names.map { name in
            guard let kind = ModelKind(name: name) else {
                throw ValidationError("unknown model '\(name)'; known: \(ModelKind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return kind
        }
    }

    /// `vibevoice models pull <model>...`
    struct Pull: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Download (or finish, or check) a model: checkpoint, tokenizer and voices.")

        @Argument(help: "Models to pull: realtime-0.5b, 1.5b, asr.")
        var models: [String] = ["realtime-0.5b"]

        @OptionGroup var options: StoreOptions

        @Flag(help: "Plain progress lines even on a terminal.")
        var plain = false

        func run() async throws {
            let kinds = try Models.kinds(models)
            let store = try options.store()
            let printer = PullProgressPrinter(terminal: !plain && Models.standardErrorIsTerminal)
            for kind in kinds {
                printer.handle(.note("pulling \(kind) into \(store.cacheDirectory.path) from \(store.endpoint.absoluteString)"))
                let folder = try await store.pull(kind, progress: printer.handler)
                print("\(kind): ready")
                print("  weights    \(folder.weights.path)")
                print("  tokenizer  \(folder.tokenizer.path)")
                if let voices = folder.voiceDirectory { print("  voices     \(voices.path)") }
            }
        }
    }

    /// `vibevoice models list`
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show cached and configured models, their sizes, paths and completeness.")

        @OptionGroup var options: StoreOptions

        func run() async throws {
            let store = try options.store()
            let environment = ProcessInfo.processInfo.environment
            var configured: [ModelKind: ModelPaths] = [:]
            for kind in ModelKind.allCases { configured[kind] = ModelPaths.fromEnvironment(kind, environment: environment) }
            print("cache: \(store.cacheDirectory.path)")
            for row in store.list(configured: configured) {
                let state = row.isComplete ? "complete" : (row.components.allSatisfy { $0.state == .absent } ? "not downloaded" : "incomplete")
                print("\(row.kind.rawValue.padding(toLength: 14, withPad: " ", startingAt: 0)) \(state.padding(toLength: 15, withPad: " ", startingAt: 0)) \(ByteCountText.format(row.bytes))")
                for part in row.components where part.state != .absent {
                    print("  \(part.role.padding(toLength: 10, withPad: " ", startingAt: 0)) \(part.state.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0)) \(ByteCountText.format(part.bytes).padding(toLength: 9, withPad: " ", startingAt: 0)) \(part.path.path)")
                }
                if let paths = row.configured, let model = paths.model {
                    let usable = row.configuredMissing.isEmpty ? "usable" : "missing \(row.configuredMissing.joined(separator: ", "))"
                    print("  configured \(model.path) (\(usable))")
                }
            }
        }
    }

    /// `vibevoice models rm <model>...`
    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rm", abstract: "Delete a model's cached files (the tokenizer stays while another model uses it).")

        @Argument(help: "Models to remove: realtime-0.5b, 1.5b, asr.")
        var models: [String]

        @OptionGroup var options: StoreOptions

        func run() async throws {
            let store = try options.store()
            for kind in try Models.kinds(models) {
                let freed = try await store.remove(kind) { event in
                    if case .note(let text) = event { FileHandle.standardError.write(Data((text + "\n").utf8)) }
                }
                print("\(kind): removed (\(ByteCountText.format(freed)) freed)")
            }
        }
    }

    /// `vibevoice models verify <model>...`
    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Re-hash a cached model's files against the digests they were downloaded with.")

        @Argument(help: "Models to verify: realtime-0.5b, 1.5b, asr.")
        var models: [String]

        @OptionGroup var options: StoreOptions

        func run() async throws {
            let store = try options.store()
            var bad = 0
            for kind in try Models.kinds(models) {
                let clock = ContinuousClock()
                let start = clock.now
                let checks = try await store.verify(kind) { check in
                    print("\(check.isIntact ? "ok " : "BAD") \(check.path.path)")
                }
                let seconds = (clock.now - start) / .seconds(1)
                let bytes = checks.reduce(Int64(0)) { $0 + $1.size }
                let rate = seconds > 0 ? ", \(ByteCountText.format(Int64(Double(bytes) / seconds)))/s" : ""
                print("\(kind): \(checks.count) files, \(ByteCountText.format(bytes)) hashed in \(String(format: "%.2f", seconds)) s\(rate)")
                bad += checks.filter { !$0.isIntact }.count
            }
            if bad > 0 { throw ValidationError("\(bad) file(s) do not match; run `vibevoice models pull` to fetch them again") }
        }
    }
}
