/// The cuBLAS functions an optional GEMM path would call, as typed `@convention(c)` pointers resolved at run time
/// from `libcublas.so.<major>` / `cublas64_<major>.dll`.
///
/// `cublas_api.h` maps several functions to `_v2` names (`cublasCreate` → `cublasCreate_v2`); the unversioned
/// exports are the legacy API and are never resolved. Only loading and version queries are exercised so far; the
/// backend's matmuls use the NVRTC kernels (see docs/cuda.md).
public struct CUBLASAPI: @unchecked Sendable {
    typealias Create = @convention(c) (UnsafeMutablePointer<OpaquePointer?>) -> Int32
    typealias Destroy = @convention(c) (OpaquePointer?) -> Int32
    typealias GetVersion = @convention(c) (OpaquePointer?, UnsafeMutablePointer<Int32>) -> Int32
    typealias SetStream = @convention(c) (OpaquePointer?, OpaquePointer?) -> Int32
    typealias SetMathMode = @convention(c) (OpaquePointer?, Int32) -> Int32
    /// `cublasGemmEx(handle, transa, transb, m, n, k, alpha, A, Atype, lda, B, Btype, ldb, beta, C, Ctype, ldc,
    /// computeType, algo)`.
    typealias GemmEx =
        @convention(c) (
            OpaquePointer?, Int32, Int32, Int32, Int32, Int32, UnsafeRawPointer?, UInt64, Int32, Int32, UInt64, Int32,
            Int32, UnsafeRawPointer?, UInt64, Int32, Int32, Int32, Int32
        ) -> Int32

    /// Every exported name this table resolves, in resolution order.
    public static let symbolNames = [
        "cublasCreate_v2", "cublasDestroy_v2", "cublasGetVersion_v2", "cublasSetStream_v2", "cublasSetMathMode",
        "cublasGemmEx",
    ]

    let create: Create
    let destroy: Destroy
    let getVersion: GetVersion
    let setStream: SetStream
    let setMathMode: SetMathMode
    let gemmEx: GemmEx

    /// Resolves every function from `source`.
    /// - Throws: `CUDALoadError.symbolMissing` for the first absent name.
    public init(_ source: some SymbolSource) throws {
        let lib = "cuBLAS"
        let n = Self.symbolNames
        create = try source.resolve(n[0], lib)
        destroy = try source.resolve(n[1], lib)
        getVersion = try source.resolve(n[2], lib)
        setStream = try source.resolve(n[3], lib)
        setMathMode = try source.resolve(n[4], lib)
        gemmEx = try source.resolve(n[5], lib)
    }
}
