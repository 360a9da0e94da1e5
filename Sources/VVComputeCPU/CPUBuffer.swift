#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#elseif canImport(ucrt)
import ucrt
#endif
import VVCompute

/// Host memory behind a CPU tensor: either owned (zeroed, 64-byte aligned, freed on release) or aliased read-only
/// memory kept alive by `owner` (memory-mapped weights used in place).
final class CPUBuffer: DeviceBuffer, @unchecked Sendable {
    let pointer: UnsafeMutableRawPointer
    let byteCount: Int
    private let owner: AnyObject?
    private let allocation: UnsafeMutableRawPointer?

    /// Allocates `byteCount` zeroed bytes (`calloc`, so large buffers such as KV caches are committed lazily).
    /// - Throws: `ComputeError.outOfMemory` when the allocation fails (a request must not crash the server).
    init(byteCount: Int) throws {
        guard byteCount >= 0, byteCount < Int.max - 64, let raw = calloc(byteCount + 64, 1) else {
            throw ComputeError.outOfMemory(bytes: byteCount)
        }
        let misalignment = Int(bitPattern: raw) & 63
        self.byteCount = byteCount
        pointer = raw + (misalignment == 0 ? 0 : 64 - misalignment)
        allocation = raw
        owner = nil
    }

    /// Aliases `bytes` (non-empty), which `owner` keeps alive and nobody writes.
    init(aliasing base: UnsafeRawPointer, count: Int, owner: AnyObject) {
        self.byteCount = count
        pointer = UnsafeMutableRawPointer(mutating: base)
        self.owner = owner
        allocation = nil
    }

    deinit {
        free(allocation)
    }
}
