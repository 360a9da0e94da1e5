import Foundation
import VVPipelines

/// The life of one configured model: disabled, loading, ready with its pipeline, or failed with a reason.
public enum ModelState: Sendable {
    case disabled
    case loading
    case ready(LoadedPipeline)
    case failed(String)

    /// The word `/health` reports.
    public var word: String {
        switch self {
        case .disabled: "disabled"
        case .loading: "loading"
        case .ready: "ready"
        case .failed: "error"
        }
    }
}

/// A loaded pipeline of either kind.
public enum LoadedPipeline: Sendable {
    case speech(any SpeechSynthesizer)
    case transcription(any Transcriber)
}

/// One model's state and its executor. Thread-safe.
public final class ModelSlot: @unchecked Sendable {
    /// Which model.
    public let id: ModelID
    /// Its request queue.
    public let executor: ModelExecutor
    private let lock = NSLock()
    private var _state: ModelState

    /// Creates a slot in `state`.
    public init(id: ModelID, state: ModelState, limits: ModelExecutor.Limits) {
        self.id = id
        self._state = state
        self.executor = ModelExecutor(name: id.rawValue, limits: limits)
    }

    /// The current state.
    public var state: ModelState {
        get { lock.withLock { _state } }
        set { lock.withLock { _state = newValue } }
    }

    /// True unless disabled.
    public var isEnabled: Bool {
        if case .disabled = state { return false }
        return true
    }
}

/// Loads pipelines for enabled models. The real providers arrive with each model's issue; `vibevoice serve
/// --test-doubles` uses `TestDoubleProvider`.
public protocol PipelineProvider: Sendable {
    /// Loads `id` with `configuration`; throws a one-line reason when it cannot.
    func load(_ id: ModelID, configuration: ServerConfiguration) async throws -> LoadedPipeline
}

/// Serves the test doubles of VVPipelines (tones and a fixed transcript): for tests and the CI acceptance run only.
public struct TestDoubleProvider: PipelineProvider {
    /// Delay between tone frames / transcript words, to exercise streaming and cancellation.
    public var delay: Duration

    /// Creates the provider.
    public init(delay: Duration = .zero) { self.delay = delay }

    /// Returns a `ToneSynthesizer` or a `ScriptedTranscriber`.
    public func load(_ id: ModelID, configuration: ServerConfiguration) async throws -> LoadedPipeline {
        switch id.task {
        case .speech: .speech(ToneSynthesizer(frameDelay: delay))
        case .transcription: .transcription(ScriptedTranscriber(wordDelay: delay))
        }
    }
}

/// A model failed to load.
public struct ModelLoadError: Error, Sendable, CustomStringConvertible {
    /// One line.
    public let description: String
    /// Creates the error.
    public init(_ description: String) { self.description = description }
}
