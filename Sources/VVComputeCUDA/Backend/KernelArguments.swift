/// The parameter block of one kernel launch, as `cuLaunchKernel` takes it.
///
/// One pointer per argument, each to the argument's bytes. Every argument gets its own 8-byte slot (4-byte values in its first half, little-endian),
/// so slot addresses are stable while the block lives.
struct KernelArguments {
    private(set) var slots: [UInt64] = []

    /// A device pointer (`CUdeviceptr`, or 0 for a null pointer such as a missing bias).
    mutating func pointer(_ address: UInt64) { slots.append(address) }
    /// A C `int`.
    mutating func int(_ value: Int) { slots.append(UInt64(UInt32(bitPattern: Int32(truncatingIfNeeded: value)))) }
    /// A C `long long`.
    mutating func int64(_ value: Int) { slots.append(UInt64(bitPattern: Int64(value))) }
    /// A C `float`.
    mutating func float(_ value: Float) { slots.append(UInt64(value.bitPattern)) }

    /// Calls `body` with the `void**` array `cuLaunchKernel` expects (valid only during the call).
    func withParameterArray<R>(_ body: (UnsafeMutablePointer<UnsafeMutableRawPointer?>) throws -> R) rethrows -> R {
        let storage = UnsafeMutablePointer<UInt64>.allocate(capacity: max(slots.count, 1))
        defer { storage.deallocate() }
        let pointers = UnsafeMutablePointer<UnsafeMutableRawPointer?>.allocate(capacity: max(slots.count, 1))
        defer { pointers.deallocate() }
        for (index, slot) in slots.enumerated() {
            (storage + index).initialize(to: slot)
            pointers[index] = UnsafeMutableRawPointer(storage + index)
        }
        return try body(pointers)
    }
}
