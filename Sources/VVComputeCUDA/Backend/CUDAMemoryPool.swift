import Foundation

/// Something a `CUDABuffer` gives its block back to when the last tensor using it goes: a memory pool, or the
/// arena of a captured graph.
protocol CUDABlockOwner: AnyObject, Sendable {
    /// Takes back a block no tensor refers to any more (work queued on its stream may still read it).
    func release(address: UInt64, blockSize: Int)
}

/// Caches device allocations by size class so the per-frame loop allocates without calling `cuMemAlloc`.
///
/// Sizes round up to a power of two from 256 bytes to 1 MiB and to a multiple of 2 MiB above. Freed blocks wait
/// in per-class free lists; when `cuMemAlloc` runs out of memory the stream is synchronised (queued kernels may
/// still read freed blocks), the free lists are emptied (`cuMemFree`) and the allocation is retried once.
///
/// One pool serves one stream, because a freed block may still be read by work queued on that stream and only
/// work on the same stream is ordered after it. A per-request stream's pool has the device's main pool as its
/// `parent`: when the request ends it is `retire`d (its stream synchronised) and its blocks move to the parent's
/// idle list, which holds blocks with no queued work and which any pool may take from. Thread-safe.
final class CUDAMemoryPool: CUDABlockOwner, @unchecked Sendable {
    private let allocate: (Int) -> (address: UInt64, code: Int32)
    private let free: (UInt64) -> Void
    private let synchronize: () -> Void
    private let parent: CUDAMemoryPool?
    private let lock = NSLock()
    private var freeBlocks: [Int: [UInt64]] = [:]
    private var idleBlocks: [Int: [UInt64]] = [:]
    private var retired = false
    private(set) var bytesHeld = 0
    private(set) var bytesCached = 0

    /// A pool over raw allocate/free functions (the driver's, or a test double); `synchronize` waits for the work
    /// queued on the stream that uses the blocks; `parent` is the pool that takes the blocks on `retire()`.
    init(
        allocate: @escaping (Int) -> (address: UInt64, code: Int32), free: @escaping (UInt64) -> Void,
        synchronize: @escaping () -> Void, parent: CUDAMemoryPool? = nil
    ) {
        self.allocate = allocate
        self.free = free
        self.synchronize = synchronize
        self.parent = parent
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

    /// A block of at least `bytes` bytes: a cached one of the same class (this stream's, then an idle one), else a
    /// fresh allocation.
    /// - Throws: `CUDAError.driver` (`CUDA_ERROR_OUT_OF_MEMORY`) when the device has no room even after the caches
    ///   are emptied.
    func take(_ bytes: Int) throws -> (address: UInt64, blockSize: Int) {
        let size = Self.blockSize(for: max(bytes, 1))
        if let address = takeCached(size) { return (address, size) }
        if let address = parent?.takeIdle(size) {
            lock.lock()
            bytesHeld += size
            lock.unlock()
            return (address, size)
        }
        return (try allocateFresh(size), size)
    }

    /// A fresh `cuMemAlloc` block of class `size`, never one another op used (constants written by a synchronous
    /// copy while queued work may still read cached blocks). Counted in `bytesHeld`; give it back with `release`.
    func allocateFresh(_ size: Int) throws -> UInt64 {
        var result = allocate(size)
        if result.code == 2 {  // CUDA_ERROR_OUT_OF_MEMORY: give the cached blocks back and try once more
            trim()
            parent?.trimIdle()
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
        return result.address
    }

    private func takeCached(_ size: Int) -> UInt64? {
        lock.lock()
        defer { lock.unlock() }
        if var list = freeBlocks[size], let address = list.popLast() {
            freeBlocks[size] = list
            bytesCached -= size
            return address
        }
        if var list = idleBlocks[size], let address = list.popLast() {
            idleBlocks[size] = list
            bytesCached -= size
            return address
        }
        return nil
    }

    /// An idle block of class `size` (no work queued on any stream reads it), moved to the caller's pool.
    private func takeIdle(_ size: Int) -> UInt64? {
        lock.lock()
        defer { lock.unlock() }
        guard var list = idleBlocks[size], let address = list.popLast() else { return nil }
        idleBlocks[size] = list
        bytesCached -= size
        bytesHeld -= size
        return address
    }

    /// Puts a block back on its free list (after `retire()`: on the parent's idle list).
    func release(address: UInt64, blockSize: Int) {
        lock.lock()
        if retired, let parent {
            bytesHeld -= blockSize
            lock.unlock()
            parent.adopt([blockSize: [address]])
            return
        }
        freeBlocks[blockSize, default: []].append(address)
        bytesCached += blockSize
        lock.unlock()
    }

    /// Ends a per-request pool: waits for its stream, then hands every cached block to the parent as idle; blocks
    /// released later go there directly. Without a parent it only trims.
    func retire() {
        guard let parent else { return trim() }
        synchronize()
        lock.lock()
        retired = true
        let blocks = freeBlocks
        freeBlocks = [:]
        bytesHeld -= bytesCached
        bytesCached = 0
        lock.unlock()
        parent.adopt(blocks)
    }

    private func adopt(_ blocks: [Int: [UInt64]]) {
        lock.lock()
        for (size, list) in blocks {
            idleBlocks[size, default: []] += list
            bytesCached += size * list.count
            bytesHeld += size * list.count
        }
        lock.unlock()
    }

    /// Waits for queued work, then frees every cached block (this stream's and the idle ones).
    func trim() {
        synchronize()
        lock.lock()
        let blocks = freeBlocks
        freeBlocks = [:]
        lock.unlock()
        release(blocks)
        trimIdle()
    }

    /// Frees the idle blocks.
    private func trimIdle() {
        lock.lock()
        let blocks = idleBlocks
        idleBlocks = [:]
        lock.unlock()
        release(blocks)
    }

    private func release(_ blocks: [Int: [UInt64]]) {
        var bytes = 0
        for (size, list) in blocks {
            bytes += size * list.count
            list.forEach(free)
        }
        lock.lock()
        bytesHeld -= bytes
        bytesCached -= bytes
        lock.unlock()
    }
}
