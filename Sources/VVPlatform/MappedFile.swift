#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#elseif canImport(WinSDK)
import WinSDK
#endif

/// A read-only memory mapping of a whole file.
///
/// The mapping lives as long as the object; views into `bytes` must not outlive it (keep a reference to the
/// `MappedFile` beside any pointer taken from it). The mapped memory is never written, so sharing it between threads
/// is safe. An empty file maps to an empty buffer without calling the OS.
public final class MappedFile: @unchecked Sendable {
    /// The path the file was opened from.
    public let path: String
    /// The file's bytes.
    public let bytes: UnsafeRawBufferPointer
    #if canImport(WinSDK)
    private let fileHandle: HANDLE?
    private let mappingHandle: HANDLE?
    #endif

    /// Maps the file at `path` read-only.
    /// - Throws: `PlatformError.fileMapping` when the file cannot be opened, sized or mapped.
    public init(path: String) throws {
        self.path = path
        #if canImport(WinSDK)
        let wide = Array(path.utf16) + [0]
        let file = CreateFileW(
            wide, DWORD(truncatingIfNeeded: GENERIC_READ), DWORD(truncatingIfNeeded: FILE_SHARE_READ), nil,
            DWORD(truncatingIfNeeded: OPEN_EXISTING), DWORD(truncatingIfNeeded: FILE_ATTRIBUTE_NORMAL), nil)
        guard let file, file != INVALID_HANDLE_VALUE else {
            throw PlatformError.fileMapping(path: path, reason: "CreateFileW failed (\(GetLastError()))")
        }
        var size = LARGE_INTEGER()
        guard GetFileSizeEx(file, &size).boolValue else {
            CloseHandle(file)
            throw PlatformError.fileMapping(path: path, reason: "GetFileSizeEx failed (\(GetLastError()))")
        }
        let count = Int(size.QuadPart)
        if count == 0 {
            fileHandle = file
            mappingHandle = nil
            bytes = UnsafeRawBufferPointer(start: nil, count: 0)
            return
        }
        guard let mapping = CreateFileMappingW(file, nil, DWORD(truncatingIfNeeded: PAGE_READONLY), 0, 0, nil) else {
            CloseHandle(file)
            throw PlatformError.fileMapping(path: path, reason: "CreateFileMappingW failed (\(GetLastError()))")
        }
        let fileMapRead: DWORD = 0x0004  // FILE_MAP_READ (a macro the importer does not see)
        guard let base = MapViewOfFile(mapping, fileMapRead, 0, 0, 0) else {
            CloseHandle(mapping)
            CloseHandle(file)
            throw PlatformError.fileMapping(path: path, reason: "MapViewOfFile failed (\(GetLastError()))")
        }
        fileHandle = file
        mappingHandle = mapping
        bytes = UnsafeRawBufferPointer(start: base, count: count)
        #else
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else {
            throw PlatformError.fileMapping(path: path, reason: String(cString: strerror(errno)))
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            throw PlatformError.fileMapping(path: path, reason: String(cString: strerror(errno)))
        }
        let count = Int(info.st_size)
        if count == 0 {
            bytes = UnsafeRawBufferPointer(start: nil, count: 0)
            return
        }
        let base = mmap(nil, count, PROT_READ, MAP_PRIVATE, fd, 0)
        guard let base, base != MAP_FAILED else {
            throw PlatformError.fileMapping(path: path, reason: String(cString: strerror(errno)))
        }
        bytes = UnsafeRawBufferPointer(start: base, count: count)
        #endif
    }

    deinit {
        #if canImport(WinSDK)
        if let base = bytes.baseAddress { UnmapViewOfFile(base) }
        if let mappingHandle { CloseHandle(mappingHandle) }
        if let fileHandle { CloseHandle(fileHandle) }
        #else
        if let base = bytes.baseAddress { munmap(UnsafeMutableRawPointer(mutating: base), bytes.count) }
        #endif
    }
}
