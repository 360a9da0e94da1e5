import VVCompute

/// Device memory behind a CUDA tensor: a block from the backend's `CUDAMemoryPool`, returned to it on release.
///
/// Returning a block while queued kernels may still read it is safe because the backend issues all work on one
/// stream: a later op that reuses the block is ordered after them.
final class CUDABuffer: DeviceBuffer, @unchecked Sendable {
    /// The device address (`CUdeviceptr`).
    let address: UInt64
    /// The bytes requested.
    let byteCount: Int
    /// The bytes of the pool block (a size class, at least `byteCount`).
    let blockSize: Int
    private let pool: CUDAMemoryPool

    init(address: UInt64, byteCount: Int, blockSize: Int, pool: CUDAMemoryPool) {
        self.address = address
        self.byteCount = byteCount
        self.blockSize = blockSize
        self.pool = pool
    }

    deinit {
        pool.release(address: address, blockSize: blockSize)
    }
}
