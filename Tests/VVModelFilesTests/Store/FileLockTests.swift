import Foundation
import Testing
@testable import VVModelFiles

struct FileLockTests {
    @Test func secondHolderWaitsUntilTheFirstUnlocks() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("vv-lock-\(UUID().uuidString)/a.lock")
        defer { try? FileManager.default.removeItem(at: path.deletingLastPathComponent()) }
        let first = try await FileLock.acquire(path)
        let waited = Flag()
        let order = Recorder()
        let second = Task {
            let lock = try await FileLock.acquire(path, pollInterval: .milliseconds(10)) { waited.set() }
            order.append("second")
            lock.unlock()
        }
        try await Task.sleep(for: .milliseconds(200))
        order.append("first-unlock")
        first.unlock()
        try await second.value
        #expect(waited.value)
        #expect(order.items == ["first-unlock", "second"])
    }
}

/// A thread-safe boolean for tests.
final class Flag: @unchecked Sendable {
    private let lock = NSLock()
    private var stored = false
    func set() { lock.withLock { stored = true } }
    var value: Bool { lock.withLock { stored } }
}

/// A thread-safe list for tests.
final class Recorder: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: [String] = []
    func append(_ item: String) { lock.withLock { stored.append(item) } }
    var items: [String] { lock.withLock { stored } }
}
