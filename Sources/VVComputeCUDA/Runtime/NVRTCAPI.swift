/// The NVRTC functions the kernel compiler calls, as typed `@convention(c)` pointers resolved at run time from
/// `libnvrtc.so.<major>` / `nvrtc64_<major><minor>_0.dll`.
///
/// Types are transcribed from `nvrtc.h` (`nvrtcResult` is `Int32`, `nvrtcProgram` an opaque pointer, `size_t` is
/// `Int`). NVRTC exports no versioned names. `nvrtcGetSupportedArchs` needs NVRTC 11.2 or later, which is the
/// oldest accepted.
public struct NVRTCAPI: @unchecked Sendable {
    typealias Version = @convention(c) (UnsafeMutablePointer<Int32>, UnsafeMutablePointer<Int32>) -> Int32
    typealias GetInt = @convention(c) (UnsafeMutablePointer<Int32>) -> Int32
    typealias CreateProgram =
        @convention(c) (
            UnsafeMutablePointer<OpaquePointer?>, UnsafePointer<CChar>, UnsafePointer<CChar>?, Int32,
            UnsafePointer<UnsafePointer<CChar>?>?, UnsafePointer<UnsafePointer<CChar>?>?
        ) -> Int32
    typealias CompileProgram = @convention(c) (OpaquePointer?, Int32, UnsafePointer<UnsafePointer<CChar>?>?) -> Int32
    typealias GetSize = @convention(c) (OpaquePointer?, UnsafeMutablePointer<Int>) -> Int32
    typealias GetBytes = @convention(c) (OpaquePointer?, UnsafeMutablePointer<CChar>) -> Int32
    typealias DestroyProgram = @convention(c) (UnsafeMutablePointer<OpaquePointer?>) -> Int32
    typealias ErrorString = @convention(c) (Int32) -> UnsafePointer<CChar>?

    /// Every exported name this table resolves, in resolution order.
    public static let symbolNames = [
        "nvrtcVersion", "nvrtcGetNumSupportedArchs", "nvrtcGetSupportedArchs", "nvrtcCreateProgram",
        "nvrtcCompileProgram", "nvrtcGetPTXSize", "nvrtcGetPTX", "nvrtcGetCUBINSize", "nvrtcGetCUBIN",
        "nvrtcGetProgramLogSize", "nvrtcGetProgramLog", "nvrtcDestroyProgram", "nvrtcGetErrorString",
    ]

    let version: Version
    let getNumSupportedArchs: GetInt
    let getSupportedArchs: GetInt
    let createProgram: CreateProgram
    let compileProgram: CompileProgram
    let getPTXSize: GetSize
    let getPTX: GetBytes
    let getCUBINSize: GetSize
    let getCUBIN: GetBytes
    let getProgramLogSize: GetSize
    let getProgramLog: GetBytes
    let destroyProgram: DestroyProgram
    let getErrorString: ErrorString

    /// Resolves every function from `source`.
    /// - Throws: `CUDALoadError.symbolMissing` for the first absent name.
    public init(_ source: some SymbolSource) throws {
        let lib = "NVRTC"
        let n = Self.symbolNames
        version = try source.resolve(n[0], lib)
        getNumSupportedArchs = try source.resolve(n[1], lib)
        getSupportedArchs = try source.resolve(n[2], lib)
        createProgram = try source.resolve(n[3], lib)
        compileProgram = try source.resolve(n[4], lib)
        getPTXSize = try source.resolve(n[5], lib)
        getPTX = try source.resolve(n[6], lib)
        getCUBINSize = try source.resolve(n[7], lib)
        getCUBIN = try source.resolve(n[8], lib)
        getProgramLogSize = try source.resolve(n[9], lib)
        getProgramLog = try source.resolve(n[10], lib)
        destroyProgram = try source.resolve(n[11], lib)
        getErrorString = try source.resolve(n[12], lib)
    }

    /// NVRTC's text for a result code.
    func message(_ code: Int32) -> String {
        getErrorString(code).map { String(cString: $0) } ?? "NVRTC error \(code)"
    }
}
