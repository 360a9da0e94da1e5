import Foundation

/// The device memory of one captured graph: every block a tensor got while the graph was being recorded.
///
/// A replay writes into all of them, so none may go back to the stream's pool while the graph can still run.
/// While recording, a block whose tensor is released is reused by later allocations of the same recording (the
/// graph runs its nodes in order, as the stream would have); once sealed, released blocks stay here. Constants
/// uploaded while recording get fresh blocks of their own, never reused, since nothing in the graph rewrites them.
/// Everything returns to the pool when the graph and every tensor made during the recording are gone.
final class CUDAGraphArena: CUDABlockOwner, @unchecked Sendable {
    private let pool: CUDAMemoryPool
    private let lock = NSLock()
    private var owned: [(address: UInt64, blockSize: Int)] = []
    private var reusable: [Int: [UInt64]] = [:]
    private var sealed = false

    init(pool: CUDAMemoryPool) { self.pool = pool }

    /// A block for a tensor made while recording.
    func take(_ bytes: Int) throws -> (address: UInt64, blockSize: Int) {
        let size = CUDAMemoryPool.blockSize(for: max(bytes, 1))
        lock.lock()
        if var list = reusable[size], let address = list.popLast() {
            reusable[size] = list
            lock.unlock()
            return (address, size)
        }
        lock.unlock()
        let block = try pool.take(bytes)
        own(block)
        return block
    }

    /// A block that no recorded node has used or will use, for a constant written now.
    func takeForConstant(_ bytes: Int) throws -> (address: UInt64, blockSize: Int) {
        let size = CUDAMemoryPool.blockSize(for: max(bytes, 1))
        let block = (address: try pool.allocateFresh(size), blockSize: size)
        own(block)
        return block
    }

    private func own(_ block: (address: UInt64, blockSize: Int)) {
        lock.lock()
        owned.append(block)
        lock.unlock()
    }

    /// Ends reuse: from now on the blocks belong to the recorded graph.
    func seal() {
        lock.lock()
        sealed = true
        reusable = [:]
        lock.unlock()
    }

    /// The bytes the graph holds.
    var bytesHeld: Int {
        lock.lock()
        defer { lock.unlock() }
        return owned.reduce(0) { $0 + $1.blockSize }
    }

    func release(address: UInt64, blockSize: Int) {
        lock.lock()
        if !sealed { reusable[blockSize, default: []].append(address) }
        lock.unlock()
    }

    /// The owner of constant blocks: their release must not make them reusable (a later node would overwrite a
    /// constant that an earlier node reads at the next replay), so it does nothing; the arena frees them at the end.
    final class ConstantOwner: CUDABlockOwner, @unchecked Sendable {
        let arena: CUDAGraphArena
        init(arena: CUDAGraphArena) { self.arena = arena }
        func release(address: UInt64, blockSize: Int) {}
    }

    deinit {
        for block in owned { pool.release(address: block.address, blockSize: block.blockSize) }
    }
}
