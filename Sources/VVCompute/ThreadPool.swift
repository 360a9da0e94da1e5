import Foundation
import Synchronization
import VVPlatform

/// A fixed set of worker threads running data-parallel loops (`parallelFor`) with low wake-up latency.
///
/// The calling thread takes part, so `threadCount` is the total parallelism (`threadCount - 1` workers). Workers
/// spin briefly after each job (ops in a decode step follow each other within microseconds), then sleep on a
/// condition. Jobs are run one at a time: `parallelFor` must not be called concurrently or re-entrantly on the same
/// pool (the CPU backend serialises calls with a lock). Workers stop when the pool is released.
///
/// When other processes hold the cores, a worker can be preempted in the middle of a chunk and the caller waits for
/// it. The pool measures that: if the caller spends more than a third of its time waiting (running average), it runs
/// the next 256 jobs alone, then tries the workers again, so an oversubscribed machine gets single-thread speed
/// rather than worse.
public final class ThreadPool: @unchecked Sendable {
    /// Total parallelism, the caller included.
    public let threadCount: Int
    private let state: PoolState
    private var workers: [Thread] = []

    /// Starts `threads - 1` workers (`threads` is clamped to at least 1).
    public init(threads: Int) {
        threadCount = max(1, threads)
        state = PoolState()
        for index in 1..<threadCount {
            let shared = state
            let thread = Thread { shared.workerLoop() }
            thread.name = "vv-compute-\(index)"
            thread.stackSize = 1 << 20
            thread.start()
            workers.append(thread)
        }
    }

    deinit {
        state.stop()
    }

    /// Runs `body(i)` for every `i` in `0..<count`, spread over the threads; returns when all have finished.
    public func parallelFor(_ count: Int, _ body: @escaping (Int) -> Void) {
        if count <= 0 { return }
        if count == 1 || threadCount == 1 {
            for index in 0..<count { body(index) }
            return
        }
        state.run(count, body)
    }
}

/// The state shared by the pool and its workers (kept alive by the workers until they stop).
///
/// Chunks are handed out under `lock` together with the job they belong to, so a worker that wakes late can never
/// run a chunk of a finished job or read a job while the caller replaces it; `generation` only tells workers that
/// something new may be there, and `remaining` lets the caller wait without the lock.
private final class PoolState: @unchecked Sendable {
    let generation = Atomic<Int>(0)
    let remaining = Atomic<Int>(0)
    let condition = NSCondition()
    let lock = NSLock()
    var job: ((Int) -> Void)?
    var jobCount = 0
    var next = 0
    var stopping = false
    /// Spin iterations before a worker goes to sleep.
    let spinLimit = 20_000
    /// Running average of the caller's waiting share of each job (caller thread only).
    var waitShare = 0.0
    /// Jobs left to run on the caller alone (caller thread only).
    var soloJobs = 0

    func run(_ count: Int, _ body: @escaping (Int) -> Void) {
        if soloJobs > 0 {
            soloJobs -= 1
            for index in 0..<count { body(index) }
            return
        }
        let start = DispatchTime.now().uptimeNanoseconds
        remaining.store(count, ordering: .releasing)
        lock.lock()
        job = body
        jobCount = count
        next = 0
        lock.unlock()
        condition.lock()
        generation.add(1, ordering: .releasing)
        condition.broadcast()
        condition.unlock()
        runChunks()
        let ownDone = DispatchTime.now().uptimeNanoseconds
        var spins = 0
        while remaining.load(ordering: .acquiring) > 0 {
            spins += 1
            if spins > 256 { CPUYield.now() }  // a worker holding a chunk may be descheduled: let it run
        }
        lock.lock()
        job = nil
        lock.unlock()
        let end = DispatchTime.now().uptimeNanoseconds
        let share = Double(end &- ownDone) / Double(max(1, end &- start))
        waitShare = 0.9 * waitShare + 0.1 * share
        if waitShare > 0.34 {
            soloJobs = 256
            waitShare = 0
        }
    }

    func stop() {
        lock.lock()
        stopping = true
        lock.unlock()
        condition.lock()
        generation.add(1, ordering: .releasing)
        condition.broadcast()
        condition.unlock()
    }

    /// Takes the next chunk of the current job, or nil when none is left.
    private func take() -> (Int, (Int) -> Void)? {
        lock.lock()
        defer { lock.unlock() }
        guard let body = job, next < jobCount else { return nil }
        next += 1
        return (next - 1, body)
    }

    func runChunks() {
        while let (index, body) = take() {
            body(index)
            remaining.subtract(1, ordering: .releasing)
        }
    }

    func workerLoop() {
        var seen = 0
        while true {
            var spins = 0
            while generation.load(ordering: .acquiring) == seen {
                spins += 1
                if spins > spinLimit {
                    condition.lock()
                    while generation.load(ordering: .acquiring) == seen { condition.wait() }
                    condition.unlock()
                }
            }
            seen = generation.load(ordering: .acquiring)
            lock.lock()
            let stop = stopping
            lock.unlock()
            if stop { return }
            runChunks()
        }
    }
}
