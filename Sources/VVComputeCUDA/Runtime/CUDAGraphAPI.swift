/// The CUDA driver's stream-capture and graph functions (CUDA ≥ 11.4), resolved all together or not at all: a
/// driver without them runs every op eagerly (`CUDABackend.canCaptureGraphs` is false).
///
/// `cuStreamBeginCapture` is exported as `cuStreamBeginCapture_v2` (the version that takes a capture mode);
/// `cuGraphInstantiateWithFlags` is the CUDA 12 `cuGraphInstantiate` (the `_v2` export keeps the 11.x signature
/// with an error-log buffer). `cuMemcpyHtoD_v2` is the synchronous copy used for constants uploaded while capturing.
struct CUDAGraphAPI: @unchecked Sendable {
    typealias BeginCapture = @convention(c) (OpaquePointer?, Int32) -> Int32
    typealias EndCapture = @convention(c) (OpaquePointer?, UnsafeMutablePointer<OpaquePointer?>) -> Int32
    typealias Instantiate = @convention(c) (UnsafeMutablePointer<OpaquePointer?>, OpaquePointer?, UInt64) -> Int32
    typealias Launch = @convention(c) (OpaquePointer?, OpaquePointer?) -> Int32
    typealias Destroy = @convention(c) (OpaquePointer?) -> Int32
    typealias GetNodes = @convention(c) (OpaquePointer?, UnsafeMutablePointer<OpaquePointer?>?, UnsafeMutablePointer<Int>)
        -> Int32
    typealias MemcpyHtoD = @convention(c) (UInt64, UnsafeRawPointer?, Int) -> Int32

    /// The exported names, in resolution order.
    static let symbolNames = [
        "cuStreamBeginCapture_v2", "cuStreamEndCapture", "cuGraphInstantiateWithFlags", "cuGraphLaunch",
        "cuGraphExecDestroy", "cuGraphDestroy", "cuGraphGetNodes", "cuMemcpyHtoD_v2",
    ]

    /// `CU_STREAM_CAPTURE_MODE_RELAXED`: the pool may call `cuMemAlloc` while a stream captures.
    static let relaxedCaptureMode: Int32 = 2

    let beginCapture: BeginCapture
    let endCapture: EndCapture
    let instantiate: Instantiate
    let launch: Launch
    let execDestroy: Destroy
    let graphDestroy: Destroy
    let getNodes: GetNodes
    let memcpyHtoD: MemcpyHtoD

    /// Resolves every function from `source`.
    /// - Throws: `CUDALoadError.symbolMissing` for the first absent name (an older driver).
    init(_ source: some SymbolSource) throws {
        let lib = "CUDA driver", n = Self.symbolNames
        beginCapture = try source.resolve(n[0], lib)
        endCapture = try source.resolve(n[1], lib)
        instantiate = try source.resolve(n[2], lib)
        launch = try source.resolve(n[3], lib)
        execDestroy = try source.resolve(n[4], lib)
        graphDestroy = try source.resolve(n[5], lib)
        getNodes = try source.resolve(n[6], lib)
        memcpyHtoD = try source.resolve(n[7], lib)
    }
}
