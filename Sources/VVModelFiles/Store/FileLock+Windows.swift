#if os(Windows)
import Foundation
import WinSDK

/// The open lock file on Windows: a handle locked with `LockFileEx` over its first byte.
struct PlatformLockHandle: @unchecked Sendable {
    private let handle: HANDLE

    /// Opens (creating if needed) the lock file with full sharing, so other processes can open it to wait.
    static func open(_ path: URL) throws -> PlatformLockHandle {
        let handle = path.path.withCString(encodedAs: UTF16.self) { name in
            CreateFileW(
                name, DWORD(GENERIC_READ | GENERIC_WRITE), DWORD(FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE),
                nil, DWORD(OPEN_ALWAYS), DWORD(FILE_ATTRIBUTE_NORMAL), nil)
        }
        guard let handle, handle != INVALID_HANDLE_VALUE else {
            throw ModelStoreError.fileSystem(path: path.path, reason: "cannot open lock file (error \(GetLastError()))")
        }
        return PlatformLockHandle(handle: handle)
    }

    /// Tries to take the exclusive lock without blocking; false if another holder has it.
    func tryLock() throws -> Bool {
        var overlapped = OVERLAPPED()
        let flags = DWORD(LOCKFILE_EXCLUSIVE_LOCK | LOCKFILE_FAIL_IMMEDIATELY)
        if LockFileEx(handle, flags, 0, 1, 0, &overlapped) { return true }
        let code = GetLastError()
        if code == DWORD(ERROR_LOCK_VIOLATION) || code == DWORD(ERROR_IO_PENDING) { return false }
        throw ModelStoreError.fileSystem(path: "lock", reason: "LockFileEx failed (error \(code))")
    }

    /// Releases the lock and closes the handle.
    func unlockAndClose() {
        var overlapped = OVERLAPPED()
        _ = UnlockFileEx(handle, 0, 1, 0, &overlapped)
        _ = CloseHandle(handle)
    }
}
#endif
