import VVCompute

/// Recording a step's ops as a CUDA graph and replaying it: one `cuGraphLaunch` in place of hundreds of
/// `cuLaunchKernel`s, so a frame of the realtime loop costs the GPU's time rather than the host's launch overhead.
///
/// The stream is captured in relaxed mode (the pool may still call `cuMemAlloc`); every tensor made while
/// recording comes from the graph's arena (`CUDAGraphArena`), constants uploaded while recording are copied at
/// once into blocks of their own, and a download or synchronisation while recording is refused.
extension CUDABackend: GraphCapturingBackend {
    /// Whether the driver offers graphs (CUDA ≥ 11.4).
    public var canCaptureGraphs: Bool { driver.graphs != nil }

    /// Starts recording this backend's stream. Only the caller that started it may use the backend until
    /// `endCapture()` (a per-request backend guarantees that).
    public func beginCapture() throws {
        guard let graphs = driver.graphs else {
            throw ComputeError.invalidArgument(op: "beginCapture", reason: "this CUDA driver has no graph support")
        }
        guard arena == nil else {
            throw ComputeError.invalidArgument(op: "beginCapture", reason: "a capture is already in progress")
        }
        try makeCurrent()
        try driver.check(graphs.beginCapture(stream, CUDAGraphAPI.relaxedCaptureMode), "cuStreamBeginCapture_v2")
        arena = CUDAGraphArena(pool: pool)
    }

    /// Stops recording and instantiates the graph.
    public func endCapture() throws -> any CapturedGraph {
        guard let graphs = driver.graphs, let arena else {
            throw ComputeError.invalidArgument(op: "endCapture", reason: "no capture in progress")
        }
        self.arena = nil
        arena.seal()
        try makeCurrent()
        var graph: OpaquePointer?
        try driver.check(graphs.endCapture(stream, &graph), "cuStreamEndCapture")
        defer { _ = graphs.graphDestroy(graph) }
        var nodes = 0
        try driver.check(graphs.getNodes(graph, nil, &nodes), "cuGraphGetNodes")
        var executable: OpaquePointer?
        try driver.check(graphs.instantiate(&executable, graph, 0), "cuGraphInstantiateWithFlags")
        return CUDACapturedGraph(backend: self, executable: executable, arena: arena, operationCount: nodes)
    }

    /// Ends a recording without keeping it.
    public func abortCapture() {
        guard let graphs = driver.graphs, arena != nil else { return }
        arena = nil
        _ = try? makeCurrent()
        var graph: OpaquePointer?
        if graphs.endCapture(stream, &graph) == 0 { _ = graphs.graphDestroy(graph) }
    }

    /// A constant uploaded while recording: copied now into a block no recorded node writes.
    func uploadConstant(_ bytes: UnsafeRawBufferPointer, dtype: DType, shape: Shape, arena: CUDAGraphArena) throws
        -> Tensor
    {
        guard let graphs = driver.graphs else { throw ComputeError.invalidArgument(op: "upload", reason: "no graphs") }
        let block = try arena.takeForConstant(bytes.count)
        if bytes.count > 0 {
            try driver.check(graphs.memcpyHtoD(block.address, bytes.baseAddress, bytes.count), "cuMemcpyHtoD_v2")
        }
        let buffer = CUDABuffer(
            address: block.address, byteCount: bytes.count, blockSize: block.blockSize,
            owner: CUDAGraphArena.ConstantOwner(arena: arena))
        return Tensor(shape: shape, dtype: dtype, buffer: buffer)
    }

    /// Throws when `op` (a host synchronisation) is asked for while recording.
    func refuseWhileCapturing(_ op: String) throws {
        if arena != nil {
            throw ComputeError.invalidArgument(
                op: op, reason: "not allowed while a graph is being recorded (the recorded ops have not run)")
        }
    }
}

/// An instantiated CUDA graph (`CUgraphExec`) with the memory its nodes use; replays on its backend's stream.
final class CUDACapturedGraph: CapturedGraph, @unchecked Sendable {
    let operationCount: Int
    private let backend: CUDABackend
    private let executable: OpaquePointer?
    private let arena: CUDAGraphArena

    init(backend: CUDABackend, executable: OpaquePointer?, arena: CUDAGraphArena, operationCount: Int) {
        self.backend = backend
        self.executable = executable
        self.arena = arena
        self.operationCount = operationCount
    }

    /// The bytes of device memory the graph holds.
    var bytesHeld: Int { arena.bytesHeld }

    func replay() throws {
        guard let graphs = backend.driver.graphs else {
            throw ComputeError.invalidArgument(op: "replay", reason: "this CUDA driver has no graph support")
        }
        try backend.makeCurrent()
        try backend.driver.check(graphs.launch(executable, backend.stream), "cuGraphLaunch")
    }

    deinit {
        // A graph still running is freed when it completes; its arena's blocks return to the stream's pool, so
        // later work on that stream is ordered after it.
        _ = backend.driver.graphs?.execDestroy(executable)
    }
}
