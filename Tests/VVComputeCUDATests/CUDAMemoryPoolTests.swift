import Testing

@testable import VVComputeCUDA

/// Allocation and free calls recorded by a fake device.
final class FakeDeviceMemory: @unchecked Sendable {
    var next: UInt64 = 0x1000
    var allocated: [Int] = []
    var freed: [UInt64] = []
    var capacity = Int.max
    var used = 0

    func allocate(_ bytes: Int) -> (address: UInt64, code: Int32) {
        guard used + bytes <= capacity else { return (0, 2) }
        used += bytes
        allocated.append(bytes)
        defer { next += UInt64(bytes) }
        return (next, 0)
    }
}

@Suite("CUDA memory pool and kernel arguments")
struct CUDAMemoryPoolTests {
    @Test func sizeClassesArePowersOfTwoThenTwoMebibyteMultiples() {
        #expect(CUDAMemoryPool.blockSize(for: 1) == 256)
        #expect(CUDAMemoryPool.blockSize(for: 257) == 512)
        #expect(CUDAMemoryPool.blockSize(for: 1 << 20) == 1 << 20)
        #expect(CUDAMemoryPool.blockSize(for: (1 << 20) + 1) == 2 << 20)
        #expect(CUDAMemoryPool.blockSize(for: 5 << 20) == 6 << 20)
    }

    @Test func releasedBlocksAreReusedBySameClassRequests() throws {
        let device = FakeDeviceMemory()
        let pool = CUDAMemoryPool(allocate: device.allocate, free: { device.freed.append($0) }, synchronize: {})
        let first = try pool.take(1000)
        pool.release(address: first.address, blockSize: first.blockSize)
        let second = try pool.take(700)
        #expect(second.address == first.address)
        #expect(device.allocated == [1024])
        let third = try pool.take(700)
        #expect(third.address != first.address)
        #expect(device.allocated == [1024, 1024])
    }

    @Test func outOfMemoryFreesTheCacheAndRetriesOnce() throws {
        let device = FakeDeviceMemory()
        device.capacity = 4 << 20
        var events: [String] = []
        let pool = CUDAMemoryPool(
            allocate: device.allocate,
            free: { address in
                events.append("free")
                device.freed.append(address)
                device.used -= 2 << 20
            },
            synchronize: { events.append("synchronize") })
        let a = try pool.take(2 << 20), b = try pool.take(2 << 20)
        pool.release(address: a.address, blockSize: a.blockSize)
        pool.release(address: b.address, blockSize: b.blockSize)
        let big = try pool.take(3 << 20)  // 4 MiB class: only fits once the cached blocks are freed
        #expect(big.blockSize == 4 << 20)
        #expect(Set(device.freed) == [a.address, b.address])
        #expect(events == ["synchronize", "free", "free"])
        #expect(throws: CUDAError.self) { try pool.take(4 << 20) }
    }

    @Test func aRetiredRequestPoolHandsItsBlocksToTheDevicePoolAsIdle() throws {
        let device = FakeDeviceMemory()
        var synchronized: [String] = []
        let main = CUDAMemoryPool(allocate: device.allocate, free: { device.freed.append($0) }, synchronize: {})
        let request = CUDAMemoryPool(
            allocate: device.allocate, free: { device.freed.append($0) },
            synchronize: { synchronized.append("request") }, parent: main)
        let a = try request.take(1000), b = try request.take(1000)
        request.release(address: a.address, blockSize: a.blockSize)
        #expect(try main.take(1000).address != a.address, "a request's freed block is not idle until it retires")
        request.retire()
        #expect(synchronized == ["request"], "retiring waits for the request's stream")
        request.release(address: b.address, blockSize: b.blockSize)  // after retiring: straight to idle
        let other = CUDAMemoryPool(allocate: device.allocate, free: { _ in }, synchronize: {}, parent: main)
        let reused = Set([try other.take(900).address, try other.take(900).address])
        #expect(reused == [a.address, b.address])
        #expect(device.allocated == [1024, 1024, 1024], "no new allocation for the reused blocks")
    }

    @Test func kernelArgumentsPointAtTheirValues() {
        var arguments = KernelArguments()
        arguments.pointer(0xDEAD_BEEF_0000)
        arguments.int(-3)
        arguments.float(1.5)
        arguments.int64(1 << 40)
        arguments.withParameterArray { parameters in
            #expect(parameters[0]?.load(as: UInt64.self) == 0xDEAD_BEEF_0000)
            #expect(parameters[1]?.load(as: Int32.self) == -3)
            #expect(parameters[2]?.load(as: Float.self) == 1.5)
            #expect(parameters[3]?.load(as: Int64.self) == 1 << 40)
        }
    }
}
