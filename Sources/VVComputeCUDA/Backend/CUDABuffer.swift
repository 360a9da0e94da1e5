import VVCompute

/// Device memory behind a CUDA tensor: a block from a `CUDAMemoryPool` (or a captured graph's arena), given back
/// to its owner on release.
///
/// Returning a block while queued kernels may still read it is safe because each pool serves one stream: a later
/// op that reuses the block is ordered after them.
final class CUDABuffer: DeviceBuffer, @unchecked Sendable {
    /// The device address (`CUdeviceptr`).
    let address: UInt64
    /// The bytes requested.
    let byteCount: Int
    /// The bytes of the pool block (a size class, at least `byteCount`).
    let blockSize: Int
    private let owner: any CUDABlockOwner

    init(address: UInt64, byteCount: Int, blockSize: Int, owner: any CUDABlockOwner) {
        self.address = address
        self.byteCount = byteCount
        self.blockSize = blockSize
        self.owner = owner
    }

    deinit {
        owner.release(address: address, blockSize: blockSize)
    }
}
