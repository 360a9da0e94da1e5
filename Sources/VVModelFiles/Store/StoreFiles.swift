import Foundation
#if os(Windows)
import WinSDK
#elseif canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Small file-system helpers shared by the store.
enum StoreFiles {
    /// The length of the regular file at `url`, or nil if there is none.
    static func size(of url: URL) -> Int64? {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: url.path),
            (attributes[.type] as? FileAttributeType) != .typeDirectory
        else { return nil }
        return (attributes[.size] as? NSNumber)?.int64Value
    }

    /// The total size of the regular files below `url` (0 if absent).
    static func treeSize(_ url: URL) -> Int64 {
        guard let enumerator = FileManager.default.enumerator(at: url, includingPropertiesForKeys: [.fileSizeKey]) else {
            return 0
        }
        var total: Int64 = 0
        for case let item as URL in enumerator {
            total += size(of: item) ?? 0
        }
        return total
    }

    /// Bytes free for the current user on the volume holding `url` (walking up to an existing folder).
    static func freeSpace(_ url: URL) -> Int64? {
        var probe = url
        while !FileManager.default.fileExists(atPath: probe.path) && probe.pathComponents.count > 1 {
            probe.deleteLastPathComponent()
        }
        let attributes = try? FileManager.default.attributesOfFileSystem(forPath: probe.path)
        return (attributes?[.systemFreeSize] as? NSNumber)?.int64Value
    }

    /// Moves `source` onto `target` atomically, replacing `target` if it exists.
    static func replace(_ source: URL, with target: URL) throws {
        #if os(Windows)
        let ok = source.path.withCString(encodedAs: UTF16.self) { from in
            target.path.withCString(encodedAs: UTF16.self) { to in
                MoveFileExW(from, to, DWORD(MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH))
            }
        }
        if !ok {
            throw ModelStoreError.fileSystem(path: target.path, reason: "cannot move into place (error \(GetLastError()))")
        }
        #else
        let result = source.withUnsafeFileSystemRepresentation { from in
            target.withUnsafeFileSystemRepresentation { to in
                guard let from, let to else { return Int32(-1) }
                return rename(from, to)
            }
        }
        if result != 0 {
            throw ModelStoreError.fileSystem(path: target.path, reason: String(cString: strerror(errno)))
        }
        #endif
    }

    /// Creates `url` and its parents.
    static func makeDirectory(_ url: URL) throws {
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        } catch {
            throw ModelStoreError.fileSystem(path: url.path, reason: error.localizedDescription)
        }
    }

    /// Removes `url` if it exists.
    static func remove(_ url: URL) throws {
        guard FileManager.default.fileExists(atPath: url.path) else { return }
        do {
            try FileManager.default.removeItem(at: url)
        } catch {
            throw ModelStoreError.fileSystem(path: url.path, reason: error.localizedDescription)
        }
    }

    /// Whether `name` is a plain relative file name that stays inside its folder (no `..`, no absolute path).
    static func isSafeName(_ name: String) -> Bool {
        !name.isEmpty && !name.hasPrefix("/") && !name.contains("\\") && !name.contains(":")
            && !name.split(separator: "/").contains { $0 == ".." || $0 == "." || $0.isEmpty }
    }
}
