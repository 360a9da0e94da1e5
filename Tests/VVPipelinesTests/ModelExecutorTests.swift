import Testing

@testable import VVPipelines

@Suite struct ModelExecutorTests {
    @Test func runsOneAtATimeInArrivalOrder() async throws {
        let executor = ModelExecutor(name: "m", limits: .init(maxConcurrent: 1, maxQueue: 10, queueTimeout: .seconds(30)))
        let first = try await executor.acquire()
        let log = OrderLog()
        var tasks: [Task<Void, any Error>] = []
        for i in 0..<5 {
            tasks.append(Task {
                let p = try await executor.acquire()
                await log.append(i)
                p.release()
            })
            // Let each waiter enqueue before the next one arrives.
            while executor.queueDepth < i + 1 { await Task.yield() }
        }
        #expect(executor.activeCount == 1)
        first.release()
        for t in tasks { try await t.value }
        #expect(await log.items == [0, 1, 2, 3, 4])
    }

    @Test func fullQueueRefusesAtOnceWithRetryHint() async throws {
        let executor = ModelExecutor(name: "m", limits: .init(maxConcurrent: 1, maxQueue: 1, queueTimeout: .seconds(30)))
        let held = try await executor.acquire()
        let waiter = Task { try await executor.acquire() }
        while executor.queueDepth < 1 { await Task.yield() }
        await #expect(throws: ExecutorError.self) { _ = try await executor.acquire() }
        do {
            _ = try await executor.acquire()
        } catch let e as ExecutorError {
            guard case .queueFull = e else { Issue.record("expected queueFull, got \(e)"); return }
            #expect((1...60).contains(e.retryAfterSeconds))
        }
        held.release()
        try await waiter.value.release()
    }

    @Test func queueTimeoutRefusesTheWaiter() async throws {
        let executor = ModelExecutor(name: "m", limits: .init(maxConcurrent: 1, maxQueue: 4, queueTimeout: .milliseconds(50)))
        let held = try await executor.acquire()
        do {
            _ = try await executor.acquire()
            Issue.record("expected a queue timeout")
        } catch let e as ExecutorError {
            guard case .queueTimeout = e else { Issue.record("got \(e)"); return }
        }
        #expect(executor.queueDepth == 0)
        held.release()
    }

    @Test func cancelledWaiterLeavesTheQueueAndFreesItsPlace() async throws {
        let executor = ModelExecutor(name: "m", limits: .init(maxConcurrent: 1, maxQueue: 1, queueTimeout: .seconds(30)))
        let held = try await executor.acquire()
        let waiter = Task { try await executor.acquire() }
        while executor.queueDepth < 1 { await Task.yield() }
        waiter.cancel()
        await #expect(throws: CancellationError.self) { _ = try await waiter.value }
        while executor.queueDepth > 0 { await Task.yield() }
        let next = Task { try await executor.acquire() }
        while executor.queueDepth < 1 { await Task.yield() }
        held.release()
        try await next.value.release()
    }

    @Test func releaseIsIdempotentAndDeinitReleases() async throws {
        let executor = ModelExecutor(name: "m", limits: .init(maxConcurrent: 1, maxQueue: 0, queueTimeout: .seconds(1)))
        do {
            let p = try await executor.acquire()
            p.release()
            p.release()
        }
        do { _ = try await executor.acquire() }  // dropped without release: deinit frees it
        var freed = false
        for _ in 0..<1000 where !freed {
            freed = executor.activeCount == 0
            if !freed { try await Task.sleep(for: .milliseconds(1)) }
        }
        #expect(freed)
        try await executor.acquire().release()
    }
}

actor OrderLog {
    var items: [Int] = []
    func append(_ i: Int) { items.append(i) }
}
