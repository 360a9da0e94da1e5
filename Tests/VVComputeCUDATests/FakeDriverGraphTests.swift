import Foundation
import Testing
import VVCompute

@testable import VVComputeCUDA

/// Graph capture and per-request streams of `CUDABackend`, on the stand-in driver (which records a captured
/// stream's launches, copies and fills and runs them again at each graph launch, as the real driver does).
@Suite(
    "CUDA graphs and request streams on the emulated driver",
    .enabled(if: FakeDriver.path != nil, "VV_FAKE_CUDA_DRIVER not set (see the SKIPPED line)"), .serialized)
struct FakeDriverGraphTests {
    private func makeBackend() throws -> CUDABackend {
        try CUDABackend.load(
            libraries: FakeDriver.libraries(nvrtc: ["/nonexistent/libnvrtc.so.12"]), cacheDirectory: nil)
    }

    @Test func aRecordedStepRunsOnlyWhenReplayedAndReadsItsInputsThen() throws {
        let device = try makeBackend()
        let backend = try #require(try device.makeRequestBackend() as? CUDABackend)
        #expect(backend.canCaptureGraphs)
        let input = try backend.upload([1, 2, 3], shape: [3])
        let output = try backend.zeros([3], dtype: .f32)
        try backend.beginCapture()
        let constant = try backend.upload([10, 20, 30], shape: [3])  // kept as the value at capture time
        let scratch = try backend.zeros([3], dtype: .f32)  // re-zeroed by every replay
        let sum = try backend.add(backend.add(input, constant), scratch)
        try backend.copy(sum, into: output)
        #expect(throws: ComputeError.self) { try backend.download(sum) }
        #expect(throws: ComputeError.self) { try backend.synchronize() }
        let graph = try backend.endCapture()
        #expect(graph.operationCount == 4)  // memset, two adds, copy (the constant was copied at once)
        #expect(try backend.download(output) == [0, 0, 0], "capturing must not run the ops")
        try graph.replay()
        #expect(try backend.download(output) == [11, 22, 33])
        try backend.copy(backend.upload([5, 5, 5], shape: [3]), into: input)
        try backend.copy(backend.upload([9, 9, 9], shape: [3]), into: scratch)
        try graph.replay()
        #expect(try backend.download(output) == [15, 25, 35], "a replay reads the input's current contents")
        #expect(try backend.download(sum) == [15, 25, 35], "tensors made while recording are the graph's own")
    }

    @Test func anAbortedCaptureLeavesTheBackendUsable() throws {
        let backend = try makeBackend()
        try backend.beginCapture()
        #expect(throws: ComputeError.self) { try backend.beginCapture() }
        _ = try backend.scale(backend.upload([1], shape: [1]), by: 2)
        backend.abortCapture()
        #expect(try backend.download(backend.scale(backend.upload([1, 2], shape: [2]), by: 3)) == [3, 6])
        #expect(throws: ComputeError.self) { try backend.endCapture() }
    }

    @Test func blocksMadeWhileRecordingReturnToThePoolOnlyWithTheGraph() throws {
        let device = try makeBackend()
        let backend = try #require(try device.makeRequestBackend() as? CUDABackend)
        let x = try backend.upload([Float](repeating: 1, count: 1000), shape: [1000])
        try backend.beginCapture()
        _ = try backend.scale(x, by: 2)  // released at once: reusable within this recording only
        var kept: Tensor? = try backend.scale(x, by: 3)
        var graph: (any CapturedGraph)? = try backend.endCapture()
        let arenaBytes = try #require(graph as? CUDACapturedGraph).bytesHeld
        #expect(arenaBytes == 4096, "the second result reused the first one's block")
        let cachedBefore = backend.pool.bytesCached
        graph = nil
        #expect(backend.pool.bytesCached == cachedBefore, "a tensor of the recording is still alive")
        #expect(kept?.shape == [1000])
        kept = nil
        #expect(backend.pool.bytesCached == cachedBefore + 4096)
    }

    @Test func requestBackendsRunConcurrentlyWithTheirOwnStreams() throws {
        let device = try makeBackend()
        let weight = try device.upload((0..<64).map { Float($0) / 64 }, shape: [8, 8])
        @Sendable func work(_ seed: Float) throws -> [Float] {
            let backend = try device.makeRequestBackend()
            var x = try backend.upload((0..<8).map { Float($0) * seed }, shape: [1, 8])
            for _ in 0..<20 { x = try backend.unary(.silu, backend.linear(x, weight: weight, bias: nil)) }
            return try backend.download(x)
        }
        let expected = try (1...4).map { try work(Float($0)) }
        let results = ResultBox(count: 4)
        DispatchQueue.concurrentPerform(iterations: 4) { index in
            results.set(index, Result { try work(Float(index + 1)) })
        }
        for index in 0..<4 { #expect(try results.get(index) == expected[index]) }
    }
}

/// Results written by concurrent workers.
private final class ResultBox: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Result<[Float], any Error>?]
    init(count: Int) { values = Array(repeating: nil, count: count) }
    func set(_ index: Int, _ value: Result<[Float], any Error>) {
        lock.lock()
        values[index] = value
        lock.unlock()
    }
    func get(_ index: Int) throws -> [Float] {
        lock.lock()
        defer { lock.unlock() }
        return try values[index]?.get() ?? []
    }
}
