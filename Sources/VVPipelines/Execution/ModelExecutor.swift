import Foundation

/// Runs one model's requests in order: a fixed number at a time (1 by default) behind a bounded FIFO queue.
///
/// A request that finds the queue full, or waits longer than the queue timeout, is refused with an
/// `ExecutorError` carrying a retry hint, so the server can answer 503 with `Retry-After` instead of hanging.
/// A waiting task that is cancelled (its client went away) leaves the queue at once.
public final class ModelExecutor: @unchecked Sendable {
    /// Queue limits.
    public struct Limits: Sendable, Equatable {
        /// Requests that may run at once.
        public var maxConcurrent: Int
        /// Requests that may wait; one more is refused at once.
        public var maxQueue: Int
        /// Longest wait before a queued request is refused.
        public var queueTimeout: Duration

        /// Creates limits.
        public init(maxConcurrent: Int = 1, maxQueue: Int = 8, queueTimeout: Duration = .seconds(60)) {
            self.maxConcurrent = max(1, maxConcurrent)
            self.maxQueue = max(0, maxQueue)
            self.queueTimeout = queueTimeout
        }
    }

    private struct Waiter {
        let id: UInt64
        let continuation: CheckedContinuation<Void, any Error>
    }

    /// The model this executor serves (for messages).
    public let name: String
    /// The limits in force.
    public let limits: Limits
    private let lock = NSLock()
    private var running = 0
    private var waiters: [Waiter] = []
    private var nextID: UInt64 = 0
    private var recentJobSeconds: Double?

    /// Creates an executor for `name`.
    public init(name: String, limits: Limits = .init()) {
        self.name = name
        self.limits = limits
    }

    /// Requests waiting for a slot.
    public var queueDepth: Int { lock.withLock { waiters.count } }
    /// Requests holding a slot.
    public var activeCount: Int { lock.withLock { running } }

    private enum Admission { case granted, queued(UInt64), refused(ExecutorError) }

    /// Waits for a slot and returns a permit that must be released when the work ends.
    public func acquire() async throws -> ExecutorPermit {
        let admission: Admission = lock.withLock {
            if running < limits.maxConcurrent && waiters.isEmpty {
                running += 1
                return .granted
            }
            guard waiters.count < limits.maxQueue else {
                return .refused(.queueFull(model: name, retryAfterSeconds: retryHint()))
            }
            nextID += 1
            return .queued(nextID)
        }
        let id: UInt64
        switch admission {
        case .granted: return ExecutorPermit(executor: self)
        case .refused(let error): throw error
        case .queued(let queued): id = queued
        }
        let timeout = limits.queueTimeout
        let timer = Task { [weak self] in
            try await Task.sleep(for: timeout)
            self?.expire(id)
        }
        defer { timer.cancel() }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (c: CheckedContinuation<Void, any Error>) in
                let cancelled = lock.withLock {
                    if Task.isCancelled { return true }
                    waiters.append(Waiter(id: id, continuation: c))
                    return false
                }
                if cancelled { c.resume(throwing: CancellationError()) }
            }
        } onCancel: {
            self.remove(id, error: CancellationError())
        }
        return ExecutorPermit(executor: self)
    }

    /// Runs `body` while holding a slot.
    public func run<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        let permit = try await acquire()
        defer { permit.release() }
        return try await body()
    }

    fileprivate func release(jobSeconds: Double) {
        let next: Waiter? = lock.withLock {
            recentJobSeconds = recentJobSeconds.map { 0.8 * $0 + 0.2 * jobSeconds } ?? jobSeconds
            if waiters.isEmpty {
                running -= 1
                return nil
            }
            // Hand the slot straight to the oldest waiter (FIFO); `running` stays the same.
            return waiters.removeFirst()
        }
        next?.continuation.resume()
    }

    private func expire(_ id: UInt64) {
        remove(id, error: ExecutorError.queueTimeout(model: name, retryAfterSeconds: lock.withLock { retryHint() }))
    }

    private func remove(_ id: UInt64, error: any Error) {
        let waiter: Waiter? = lock.withLock {
            guard let i = waiters.firstIndex(where: { $0.id == id }) else { return nil }
            return waiters.remove(at: i)
        }
        waiter?.continuation.resume(throwing: error)
    }

    /// Seconds until a slot is likely free: the recent job time times the queue ahead, within 1...60. Lock held.
    private func retryHint() -> Int {
        let perJob = recentJobSeconds ?? 5
        return Int(min(max(perJob * Double(waiters.count + 1), 1), 60).rounded(.up))
    }
}

/// A held executor slot. `release()` may be called any number of times; only the first counts.
public final class ExecutorPermit: Sendable {
    private let executor: ModelExecutor
    private let state = LockedFlag()
    private let start = ContinuousClock.now

    fileprivate init(executor: ModelExecutor) {
        self.executor = executor
    }

    /// Frees the slot for the next request, at once.
    public func release() {
        guard state.setOnce() else { return }
        let elapsed = ContinuousClock.now - start
        executor.release(jobSeconds: Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18)
    }

    deinit { release() }
}

/// Why an executor refused a request.
public enum ExecutorError: Error, Sendable, Equatable {
    /// The queue was full.
    case queueFull(model: String, retryAfterSeconds: Int)
    /// The request waited longer than the queue timeout.
    case queueTimeout(model: String, retryAfterSeconds: Int)

    /// The suggested `Retry-After` in seconds.
    public var retryAfterSeconds: Int {
        switch self {
        case .queueFull(_, let s), .queueTimeout(_, let s): s
        }
    }
}

/// A thread-safe flag that can be set once.
final class LockedFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false

    /// Sets the flag; returns true only for the call that set it.
    func setOnce() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        if value { return false }
        value = true
        return true
    }
}
