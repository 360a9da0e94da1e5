/// A backend that can record a fixed sequence of ops once and replay it with one call (CUDA graphs).
///
/// Between `beginCapture()` and `endCapture()` ops are recorded, not run, and the backend must be used by the
/// capturing caller alone (a per-request backend from `makeRequestBackend()`). What a recording may contain:
/// - ops on tensors that exist before the capture (weights, caches, state tensors) or are made during it; a replay
///   runs the same ops on the same memory, reading whatever those tensors hold at that moment;
/// - `zeros` (re-zeroed at every replay);
/// - `upload` of constants (the values at capture time are kept, never re-read: a value that changes between
///   replays must be written into a pre-existing tensor with `copy` before `replay()`).
/// `download` and `synchronize` are refused while capturing. Tensors made during the capture keep their memory for
/// as long as the graph or any of them lives, and a replay overwrites them.
public protocol GraphCapturingBackend: ComputeBackend {
    /// Whether this backend can capture now (the driver offers graphs and the caller may use them).
    var canCaptureGraphs: Bool { get }
    /// Starts recording.
    func beginCapture() throws
    /// Stops recording and returns the recorded ops, not yet run.
    func endCapture() throws -> any CapturedGraph
    /// Abandons a recording after an error.
    func abortCapture()
}

/// A recorded sequence of ops (see `GraphCapturingBackend`).
public protocol CapturedGraph: AnyObject, Sendable {
    /// The number of recorded operations (kernels, copies, fills).
    var operationCount: Int { get }
    /// Queues the recorded ops once more, in order, after the work already queued.
    func replay() throws
}

/// One fixed step of a model's loop (the same ops on the same tensors every time): run eagerly on backends that
/// cannot capture, otherwise run eagerly `warmUpRuns` times (state made on first use, kernels loaded), then
/// recorded and replayed from then on.
///
/// The body must keep every host-side effect out of the recorded part (it runs at capture, not at replays): state
/// that changes between runs lives in device tensors that the caller writes before `run`, and host bookkeeping
/// (lengths, counters) is done by the caller around it.
public struct ReplayableStep: Sendable {
    /// Whether to capture at all (false: always eager).
    public let enabled: Bool
    /// The recording, once made.
    public private(set) var graph: (any CapturedGraph)?
    /// Runs of the recording so far (the run that recorded it included).
    public private(set) var replays = 0
    private var eagerRunsLeft: Int
    private let warmUpRuns: Int

    /// A step that captures, when `enabled` and the backend can, after `warmUpRuns` eager runs.
    public init(enabled: Bool = true, warmUpRuns: Int = 1) {
        self.enabled = enabled
        self.warmUpRuns = max(0, warmUpRuns)
        eagerRunsLeft = max(0, warmUpRuns)
    }

    /// Runs the step: replays the recording, or records `body` and runs the recording, or (warming up, capture
    /// off or unavailable) runs `body` eagerly. `body` runs only when the step is not replayed.
    public mutating func run(_ ctx: ComputeContext, _ body: () throws -> Void) throws {
        if let graph {
            try graph.replay()
            replays += 1
            return
        }
        guard enabled, let backend = ctx.backend as? any GraphCapturingBackend, backend.canCaptureGraphs,
            eagerRunsLeft == 0
        else {
            eagerRunsLeft = max(0, eagerRunsLeft - 1)
            try body()
            return
        }
        try backend.beginCapture()
        do {
            try body()
        } catch {
            backend.abortCapture()
            throw error
        }
        let recorded = try backend.endCapture()
        graph = recorded
        try recorded.replay()
        replays += 1
    }

    /// Forgets the recording (the tensors it used were replaced); the step warms up and records again.
    public mutating func invalidate() {
        graph = nil
        eagerRunsLeft = warmUpRuns
    }
}
