import Foundation

/// Caches device allocations by size class so the per-frame loop allocates without calling `cuMemAlloc`.
///
/// Sizes round up to a power of two from 256 bytes to 1 MiB and to a multiple of 2 MiB above. Freed blocks wait
/// in per-class free lists; when `cuMemAlloc` runs out of memory the stream is synchronised (queued kernels may
/// still read freed blocks), the free lists are emptied (`cuMemFree`) and the allocation is retried once.
/// Thread-safe.
final class CUDAMemoryPool: @unchecked Sendable {
    private let allocate: (Int) -> (address: UInt64, code: Int32)
    private let free: (UInt64) -> Void
    private let synchronize: () -> Void
    private let lock = NSLock()
    private var freeBlocks: [Int: [UInt64]] = [:]
    private(set) var bytesHeld = 0
    private(set) var bytesCached = 0

    /// A pool over raw allocate/free functions (the driver's, or a test double); `synchronize` waits for the work
    /// queued on the stream that uses the blocks.
    init(
        allocate: @escaping (Int) -> (address: UInt64, code: Int32), free: @escaping (UInt64) -> Void,
        synchronize: @escaping () -> Void
    ) {
        self.allocate = allocate
        self.free = free
        self.synchronize = synchronize
    }

    /// The size class for a request of `bytes`.
    static func blockSize(for bytes: Int) -> Int {
        let minimum = 256, large = 1 << 20, granule = 2 << 20
        if bytes <= minimum { return minimum }
        if bytes <= large {
            var size = minimum
            while size < bytes { size <<= 1 }
            return size
        }
        return (bytes + granule - 1) / granule * granule
    }

    /// A block of at least `bytes` bytes: a cached one of the same class, else a fresh allocation.
    /// - Throws: `ComputeError.outOfMemory`-style `CUDAError.driver` when the device has no room even after the
    ///   cache is emptied.
    func take(_ bytes: Int) throws -> (address: UInt64, blockSize: Int) {
        let size = Self.blockSize(for: max(bytes, 1))
        lock.lock()
        if var list = freeBlocks[size], let address = list.popLast() {
            freeBlocks[size] = list
            bytesCached -= size
            lock.unlock()
            return (address, size)
        }
        lock.unlock()
        var result = allocate(size)
        if result.code == 2 {  // CUDA_ERROR_OUT_OF_MEMORY: give the cached blocks back and try once more
            trim()
            result = allocate(size)
        }
        guard result.code == 0 else {
            throw CUDAError.driver(
                call: "cuMemAlloc_v2(\(size))", code: result.code,
                name: result.code == 2 ? "CUDA_ERROR_OUT_OF_MEMORY" : "CUDA error")
        }
        lock.lock()
        bytesHeld += size
        lock.unlock()
        return (result.address, size)
    }

    /// Puts a block back on its free list.
    func release(address: UInt64, blockSize: Int) {
        lock.lock()
        freeBlocks[blockSize, default: []].append(address)
        bytesCached += blockSize
        lock.unlock()
    }

    /// Waits for queued work, then frees every cached block.
    func trim() {
        synchronize()
        lock.lock()
        let blocks = freeBlocks
        freeBlocks = [:]
        bytesHeld -= bytesCached
        bytesCached = 0
        lock.unlock()
        for (_, list) in blocks { list.forEach(free) }
    }
}
