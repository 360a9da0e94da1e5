import Foundation
import VVModelFiles

/// The on-disk cache of compiled kernels.
///
/// One file per (family, target), named by a SHA-256 key of the exact program text, the target architecture, the NVRTC version and the compile options, so any change to one of them
/// misses and recompiles. Files are written to a temporary name and renamed, so a reader never sees a partial one.
///
/// The directory is `VV_CUDA_CACHE_DIR` when set, else `$XDG_CACHE_HOME/vibevoice/cuda-kernels`, else
/// `~/.cache/vibevoice/cuda-kernels` (Linux), or `%LOCALAPPDATA%\vibevoice\cuda-kernels` (Windows).
public struct KernelCache: Sendable {
    /// Where the files live (created on first store).
    public let directory: String

    /// A cache in `directory`.
    public init(directory: String) { self.directory = directory }

    /// The directory chosen from the environment, or nil when none can be derived (no home folder).
    public static func defaultDirectory(environment: [String: String]) -> String? {
        if let explicit = environment["VV_CUDA_CACHE_DIR"], !explicit.isEmpty { return explicit }
        #if os(Windows)
            guard let local = environment["LOCALAPPDATA"], !local.isEmpty else { return nil }
            return local + "\\vibevoice\\cuda-kernels"
        #else
            if let xdg = environment["XDG_CACHE_HOME"], !xdg.isEmpty { return xdg + "/vibevoice/cuda-kernels" }
            guard let home = environment["HOME"], !home.isEmpty else { return nil }
            return home + "/.cache/vibevoice/cuda-kernels"
        #endif
    }

    /// The cache key: SHA-256 (hex) of the program text, target, NVRTC version and options.
    public static func key(source: String, target: KernelTarget, nvrtcVersion: String, options: [String]) -> String {
        let material =
            ["vibevoice-cuda-kernel-v1", source, target.description, nvrtcVersion]
            + options
        return SHA256.hex(Array(material.joined(separator: "\u{0}").utf8))
    }

    /// The file for `family` compiled for `target` under `key`.
    public func path(family: CUDAKernelFamily, target: KernelTarget, key: String) -> String {
        let separator = directory.hasSuffix("/") || directory.hasSuffix("\\") ? "" : "/"
        return directory + separator + "\(family.rawValue)-\(target)-\(key).\(target.fileExtension)"
    }

    /// The cached image, or nil when absent or empty.
    public func load(family: CUDAKernelFamily, target: KernelTarget, key: String) -> [UInt8]? {
        guard let data = FileManager.default.contents(atPath: path(family: family, target: target, key: key)),
            !data.isEmpty
        else { return nil }
        return [UInt8](data)
    }

    /// Stores an image (creating the directory).
    /// - Throws: `CUDAError.cache` when the directory or file cannot be written.
    public func store(_ image: [UInt8], family: CUDAKernelFamily, target: KernelTarget, key: String) throws {
        let final = path(family: family, target: target, key: key)
        let temporary = final + ".tmp-\(ProcessInfo.processInfo.processIdentifier)"
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            try Data(image).write(to: URL(fileURLWithPath: temporary))
            if FileManager.default.fileExists(atPath: final) { try FileManager.default.removeItem(atPath: final) }
            try FileManager.default.moveItem(atPath: temporary, toPath: final)
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw CUDAError.cache(path: final, reason: "\(error)")
        }
    }

    /// Deletes a cached image (after the driver rejected it); a missing file is not an error.
    public func remove(family: CUDAKernelFamily, target: KernelTarget, key: String) {
        try? FileManager.default.removeItem(atPath: path(family: family, target: target, key: key))
    }
}
