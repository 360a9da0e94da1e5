import Foundation

/// An exclusive advisory lock on a file, held across processes (`flock` on POSIX, `LockFileEx` on Windows).
///
/// Two `FileLock`s on the same path exclude each other even inside one process, because each opens its own file
/// description. The lock is released by `unlock()` or when the process exits (also on a crash), so a killed pull never
/// leaves a stale lock behind.
public final class FileLock: @unchecked Sendable {
    /// The lock file.
    public let path: URL
    private let handle: PlatformLockHandle
    private let mutex = NSLock()
    private var held = false

    private init(path: URL, handle: PlatformLockHandle) {
        self.path = path
        self.handle = handle
    }

    deinit { unlock() }

    /// Takes the lock at `path`, waiting for another holder; `onWait` runs once if the lock is busy.
    ///
    /// Polls with a short sleep instead of blocking a thread, so waiting is cancellable.
    public static func acquire(
        _ path: URL, pollInterval: Duration = .milliseconds(100), onWait: (@Sendable () -> Void)? = nil
    ) async throws -> FileLock {
        do {
            try FileManager.default.createDirectory(at: path.deletingLastPathComponent(), withIntermediateDirectories: true)
        } catch {
            throw ModelStoreError.fileSystem(path: path.deletingLastPathComponent().path, reason: error.localizedDescription)
        }
        let handle = try PlatformLockHandle.open(path)
        let lock = FileLock(path: path, handle: handle)
        var warned = false
        while true {
            if try handle.tryLock() {
                lock.mutex.withLock { lock.held = true }
                return lock
            }
            if !warned {
                warned = true
                onWait?()
            }
            do {
                try await Task.sleep(for: pollInterval)
            } catch {
                throw ModelStoreError.cancelled
            }
        }
    }

    /// Releases the lock (idempotent).
    public func unlock() {
        mutex.withLock {
            guard held else { return }
            held = false
            handle.unlockAndClose()
        }
    }
}
