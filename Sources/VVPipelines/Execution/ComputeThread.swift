import Foundation
import Synchronization

/// Runs blocking model compute on a thread of its own, off the Swift concurrency pool.
///
/// A generation holds its thread for seconds to minutes; on the cooperative pool (one thread per core) that would
/// starve the server's I/O — on two cores, one utterance would take half of all async threads. A dedicated thread
/// keeps the pool free for sockets and queues, and the compute backend's own workers do the parallel work.
public enum ComputeThread {
    /// Runs `body` on a new thread and returns (or throws) its result.
    public static func run<T: Sendable>(
        name: String, _ body: @escaping @Sendable () throws -> T
    ) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread { continuation.resume(with: Result { try body() }) }
            thread.name = name
            thread.stackSize = 8 << 20
            thread.start()
        }
    }
}

/// A one-way flag a consumer sets to stop work running on another thread (checked between frames).
public final class CancellationFlag: Sendable {
    private let state = Atomic<Bool>(false)

    /// Creates a cleared flag.
    public init() {}

    /// Asks the work to stop.
    public func cancel() { state.store(true, ordering: .releasing) }

    /// Whether the work was asked to stop.
    public var isCancelled: Bool { state.load(ordering: .acquiring) }
}
