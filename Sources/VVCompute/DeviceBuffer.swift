/// An opaque allocation owned by one backend (host memory for the CPU backend, device memory for CUDA).
///
/// Model code never looks inside a buffer; only the backend that made it may read or write it. A buffer stays alive
/// as long as any `Tensor` refers to it.
public protocol DeviceBuffer: AnyObject, Sendable {
    /// The size of the allocation in bytes.
    var byteCount: Int { get }
}
