import ArgumentParser
import Foundation
import Logging
import VVCompute
import VVComputeCPU
import VVModelFiles
import VVServer

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `vibevoice serve`: loads the enabled models and serves the OpenAI audio API.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the HTTP server.",
        discussion: """
            Configuration is read from built-in defaults, then the JSON file (--config or VIBEVOICE_CONFIG), then \
            environment variables, then flags; later ones win. Every key is listed in the README. \
            Use --print-config to see the result.
            """
    )

    @Option(name: .long, help: ArgumentHelp("JSON configuration file.", valueName: "path"))
    var config: String?

    @Option(name: .long, help: "Address to listen on (server.host).")
    var host: String?

    @Option(name: .long, help: "Port to listen on (server.port; 0 picks a free one).")
    var port: Int?

    @Option(name: .long, help: ArgumentHelp("Folder of model folders and voices/ (paths.models).", valueName: "dir"))
    var modelDir: String?

    @Option(name: .customLong("api-key"), help: "An accepted Bearer key (repeatable; replaces server.api_keys).")
    var apiKeys: [String] = []

    @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: String?

    @Option(name: .customLong("set"), help: ArgumentHelp("Set any configuration key (repeatable).", valueName: "key=value"))
    var overrides: [String] = []

    @Flag(name: .long, help: "Print the resolved configuration as JSON and exit.")
    var printConfig = false

    @Flag(name: .long, help: "Print every configuration key (path, environment variables, default, meaning) as a Markdown table and exit.")
    var listConfigKeys = false

    @Flag(
        name: .long,
        help: "Serve test doubles instead of models: a 440 Hz tone for speech and a fixed two-speaker transcript. For testing clients and CI only.")
    var testDoubles = false

    @Option(name: .long, help: ArgumentHelp("With --test-doubles: milliseconds between tone frames / transcript words.", visibility: .hidden))
    var testDoubleDelayMs = 0

    func run() async throws {
        if listConfigKeys {
            print(ConfigLoader.markdownTable())
            return
        }
        let configuration = try resolveConfiguration()
        if printConfig {
            print(ConfigLoader.render(configuration))
            return
        }
        let level = Logger.Level(rawValue: configuration.server.logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        let logger = Logger(label: "vibevoice")
        let registry = ModelRegistry(configuration: configuration)
        let uploadDecoder = UploadDecoder(ffmpegPath: configuration.paths.ffmpeg)
        logger.info("audio codecs: \(uploadDecoder.backendSummary)")
        let device = try testDoubles ? nil : ComputeDevice.select(
                configuration.device,
                gpu: configuration.device.backend == "cpu" ? nil : ServeDevice.gpuMaker(backend: configuration.device.backend))
        if let device { logger.info("\(device.summary)") }
        let context = ServerContext(
            configuration: configuration, registry: registry, metrics: ServerMetrics(), logger: logger,
            uploadDecoder: uploadDecoder, device: device)
        let server = FlyingFoxServer(
            requestTimeout: TimeInterval(configuration.server.requestTimeoutSeconds),
            bodyIdleTimeout: .seconds(configuration.server.bodyIdleTimeoutSeconds))
        let bound = try await server.start(
            host: configuration.server.host, port: configuration.server.port, handler: APIServer(context: context))
        logger.info("listening on http://\(configuration.server.host):\(bound)")
        if testDoubles { logger.warning("serving TEST DOUBLES (tone and fixed transcript), not models") }
        let store = ModelStore.fromEnvironment(cacheDirectory: configuration.paths.cache.map { URL(fileURLWithPath: $0, isDirectory: true) })
        let provider: any PipelineProvider =
            testDoubles
            ? TestDoubleProvider(delay: .milliseconds(testDoubleDelayMs))
            : CheckpointProvider(
                store: store,
                engines: device.map { [.realtime: RealtimeEngine(context: ComputeContext(backend: $0.backend))] } ?? [:],
                allowDownload: configuration.server.downloadModels
            ) { line in
                logger.info("\(line)")
            }
        let loading = Task {
            await registry.loadAll(with: provider) { slot in
                switch slot.state {
                case .ready: logger.info("model \(slot.id.rawValue) ready")
                case .failed(let why): logger.error("model \(slot.id.rawValue) failed to load: \(why)")
                default: break
                }
            }
        }
        if registry.enabled.isEmpty { logger.warning("no model is enabled: set models.<name>.enabled=true") }
        await waitForTerminationSignal()
        logger.info("shutting down")
        loading.cancel()
        await server.stop()
    }

    /// Defaults, then the file, then the environment, then `--set`, then the dedicated flags.
    func resolveConfiguration() throws -> ServerConfiguration {
        var c = ServerConfiguration()
        let env = ProcessInfo.processInfo.environment
        if let file = config ?? env["VIBEVOICE_CONFIG"] { try ConfigLoader.applyFile(file, to: &c) }
        try ConfigLoader.applyEnvironment(env, to: &c)
        for assignment in overrides { try ConfigLoader.applyOverride(assignment, to: &c) }
        if let host { try ConfigLoader.applyOverride("server.host=\(host)", to: &c) }
        if let port { try ConfigLoader.applyOverride("server.port=\(port)", to: &c) }
        if let modelDir { c.paths.models = modelDir }
        if !apiKeys.isEmpty { c.server.apiKeys = apiKeys }
        if let logLevel { try ConfigLoader.applyOverride("server.log_level=\(logLevel)", to: &c) }
        return c
    }
}

/// Suspends until SIGINT or SIGTERM.
func waitForTerminationSignal() async {
    await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
        let once = OnceFlag()
        var sources: [any DispatchSourceSignal] = []
        for sig in [SIGINT, SIGTERM] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .main)
            source.setEventHandler {
                if once.claim() { continuation.resume() }
            }
            source.resume()
            sources.append(source)
        }
        SignalSources.keep(sources)
    }
}

/// Keeps signal sources alive for the life of the process.
enum SignalSources {
    nonisolated(unsafe) private static var kept: [any DispatchSourceSignal] = []
    static func keep(_ s: [any DispatchSourceSignal]) { kept += s }
}

final class OnceFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var claimed = false
    func claim() -> Bool {
        lock.withLock {
            defer { claimed = true }
            return !claimed
        }
    }
}
