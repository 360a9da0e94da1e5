#if !os(Windows)
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The open lock file on POSIX systems: a descriptor locked with `flock`.
struct PlatformLockHandle: Sendable {
    private let fd: Int32

    /// Opens (creating if needed) the lock file.
    static func open(_ path: URL) throws -> PlatformLockHandle {
        let fd = path.withUnsafeFileSystemRepresentation { name -> Int32 in
            guard let name else { return -1 }
            return Foundation.open(name, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        }
        guard fd >= 0 else {
            throw ModelStoreError.fileSystem(path: path.path, reason: String(cString: strerror(errno)))
        }
        return PlatformLockHandle(fd: fd)
    }

    /// Tries to take the exclusive lock without blocking; false if another holder has it.
    func tryLock() throws -> Bool {
        if flock(fd, LOCK_EX | LOCK_NB) == 0 { return true }
        let code = errno
        if code == EWOULDBLOCK || code == EINTR { return false }
        throw ModelStoreError.fileSystem(path: "lock", reason: String(cString: strerror(code)))
    }

    /// Releases the lock and closes the descriptor.
    func unlockAndClose() {
        _ = flock(fd, LOCK_UN)
        _ = close(fd)
    }
}
#endif
