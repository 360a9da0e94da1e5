/// The names (or paths) tried, in order, for each CUDA library.
///
/// Defaults per OS, newest major first (13, 12, 11): the driver is `libcuda.so.1` / `nvcuda.dll`; NVRTC is
/// `libnvrtc.so.13`… / `nvrtc64_130_0.dll`…; cuBLAS is `libcublas.so.13`… / `cublas64_13.dll`…. On Windows the
/// toolkit's `%CUDA_PATH%\bin` (CUDA 11–12) and `%CUDA_PATH%\bin\x64` (CUDA 13) are tried by full path after the
/// plain names. An environment variable replaces a list with the one path it names (so tests and users can point
/// at a pip-installed NVRTC): `VV_CUDA_DRIVER_LIBRARY`, `VV_NVRTC_LIBRARY`, `VV_CUBLAS_LIBRARY`.
public struct CUDALibraryCandidates: Sendable, Equatable {
    /// Candidates for the driver API library.
    public var driver: [String]
    /// Candidates for NVRTC.
    public var nvrtc: [String]
    /// Candidates for cuBLAS.
    public var cublas: [String]

    /// Explicit lists (tests use nonexistent paths to exercise the fallback reasons).
    public init(driver: [String], nvrtc: [String], cublas: [String]) {
        self.driver = driver
        self.nvrtc = nvrtc
        self.cublas = cublas
    }

    /// The defaults for this OS, with the environment's overrides applied.
    public static func fromEnvironment(_ environment: [String: String]) -> CUDALibraryCandidates {
        func override(_ key: String, _ defaults: [String]) -> [String] {
            if let path = environment[key], !path.isEmpty { return [path] }
            return defaults
        }
        #if os(Windows)
            let toolkit = environment["CUDA_PATH"].map { [$0 + "\\bin\\x64", $0 + "\\bin"] } ?? []
            let nvrtcNames = ["nvrtc64_130_0.dll", "nvrtc64_120_0.dll", "nvrtc64_112_0.dll"]
            let cublasNames = ["cublas64_13.dll", "cublas64_12.dll", "cublas64_11.dll"]
            return CUDALibraryCandidates(
                driver: override("VV_CUDA_DRIVER_LIBRARY", ["nvcuda.dll"]),
                nvrtc: override(
                    "VV_NVRTC_LIBRARY", nvrtcNames + toolkit.flatMap { dir in nvrtcNames.map { dir + "\\" + $0 } }),
                cublas: override(
                    "VV_CUBLAS_LIBRARY", cublasNames + toolkit.flatMap { dir in cublasNames.map { dir + "\\" + $0 } }))
        #elseif os(Linux)
            let toolkit = "/usr/local/cuda/lib64/"
            let nvrtcNames = ["libnvrtc.so.13", "libnvrtc.so.12", "libnvrtc.so.11.2"]
            let cublasNames = ["libcublas.so.13", "libcublas.so.12", "libcublas.so.11"]
            return CUDALibraryCandidates(
                driver: override("VV_CUDA_DRIVER_LIBRARY", ["libcuda.so.1", "libcuda.so"]),
                nvrtc: override("VV_NVRTC_LIBRARY", nvrtcNames + nvrtcNames.map { toolkit + $0 }),
                cublas: override("VV_CUBLAS_LIBRARY", cublasNames + cublasNames.map { toolkit + $0 }))
        #else
            return CUDALibraryCandidates(
                driver: override("VV_CUDA_DRIVER_LIBRARY", []), nvrtc: override("VV_NVRTC_LIBRARY", []),
                cublas: override("VV_CUBLAS_LIBRARY", []))
        #endif
    }
}
