#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif
import VVPlatform

/// libsndfile, opened at run time through a typed table of `@convention(c)` function pointers.
///
/// No header or import library is needed at build time. The library is looked for under its usual names per OS, or
/// at the path in `VIBEVOICE_LIBSNDFILE`. A missing library is an error value naming what was tried, never a crash.
public final class SndFileLibrary: @unchecked Sendable {
    typealias OpenVirtual =
        @convention(c) (
            UnsafeMutableRawPointer?, Int32, UnsafeMutableRawPointer?, UnsafeMutableRawPointer?
        ) -> OpaquePointer?
    typealias ReadFloat = @convention(c) (OpaquePointer?, UnsafeMutablePointer<Float>?, Int64) -> Int64
    typealias WriteFloat = @convention(c) (OpaquePointer?, UnsafePointer<Float>?, Int64) -> Int64
    typealias Close = @convention(c) (OpaquePointer?) -> Int32
    typealias StrError = @convention(c) (OpaquePointer?) -> UnsafePointer<CChar>?
    typealias Command = @convention(c) (OpaquePointer?, Int32, UnsafeMutableRawPointer?, Int32) -> Int32
    typealias VersionString = @convention(c) () -> UnsafePointer<CChar>?

    /// `sf_open_virtual`.
    let openVirtual: OpenVirtual
    /// `sf_readf_float`.
    let readFloat: ReadFloat
    /// `sf_writef_float`.
    let writeFloat: WriteFloat
    /// `sf_close`.
    let close: Close
    /// `sf_strerror`.
    let strError: StrError
    /// `sf_command`.
    let command: Command
    /// The library's version string (for example `libsndfile-1.2.0`).
    public let version: String
    /// The name or path it was loaded from.
    public let path: String
    private let library: DynamicLibrary

    // Constants from sndfile.h (stable ABI since libsndfile 1.0).
    static let modeRead: Int32 = 0x10
    static let modeWrite: Int32 = 0x20
    static let formatWAV: Int32 = 0x01_0000
    static let formatFLAC: Int32 = 0x17_0000
    static let formatOGG: Int32 = 0x20_0000
    static let formatMPEG: Int32 = 0x23_0000
    static let typeMask: Int32 = 0x0FFF_0000
    static let subtypePCM16: Int32 = 0x0002
    static let subtypeVorbis: Int32 = 0x0060
    static let subtypeOpus: Int32 = 0x0064
    static let subtypeMP3: Int32 = 0x0082
    static let commandSetClipping: Int32 = 0x10C0
    static let commandSetCompressionLevel: Int32 = 0x1301
    static let commandSetBitrateMode: Int32 = 0x1305
    static let bitrateModeConstant: Int32 = 0

    private init(library: DynamicLibrary) throws {
        func load<T>(_ name: String, as: T.Type) throws -> T {
            guard let p = library.symbol(name) else {
                throw AudioError.backendFailed(backend: "libsndfile", detail: "\(library.path) lacks symbol \(name)")
            }
            return unsafeBitCast(p, to: T.self)
        }
        self.library = library
        path = library.path
        openVirtual = try load("sf_open_virtual", as: OpenVirtual.self)
        readFloat = try load("sf_readf_float", as: ReadFloat.self)
        writeFloat = try load("sf_writef_float", as: WriteFloat.self)
        close = try load("sf_close", as: Close.self)
        strError = try load("sf_strerror", as: StrError.self)
        command = try load("sf_command", as: Command.self)
        let versionFn = try load("sf_version_string", as: VersionString.self)
        version = versionFn().map { String(cString: $0) } ?? "libsndfile (unknown version)"
    }

    /// The names tried when no path is given: `VIBEVOICE_LIBSNDFILE` first, then the usual names for this OS.
    public static var defaultCandidates: [String] {
        var names: [String] = []
        if let env = ProcessInfo.processInfo.environment["VIBEVOICE_LIBSNDFILE"], !env.isEmpty { names.append(env) }
        #if os(Windows)
            names += ["sndfile.dll", "libsndfile-1.dll", "libsndfile.dll"]
        #elseif canImport(Darwin)
            names += [
                "libsndfile.1.dylib", "/opt/homebrew/lib/libsndfile.1.dylib", "/usr/local/lib/libsndfile.1.dylib",
            ]
        #else
            names += ["libsndfile.so.1", "libsndfile.so"]
        #endif
        return names
    }

    /// Loads libsndfile from the first of `candidates` that opens; the error names every path tried.
    public static func load(candidates: [String] = defaultCandidates) -> Result<SndFileLibrary, AudioError> {
        switch DynamicLibrary.open(candidates) {
        case .failure(let why):
            return .failure(.backendFailed(backend: "libsndfile", detail: "not loaded (\(why.message))"))
        case .success(let lib):
            do { return .success(try SndFileLibrary(library: lib)) } catch let e as AudioError {
                return .failure(e)
            } catch {
                return .failure(.backendFailed(backend: "libsndfile", detail: "\(error)"))
            }
        }
    }

    /// The message for the last error on `handle` (or of the last failed open when `handle` is nil).
    func errorMessage(_ handle: OpaquePointer?) -> String {
        strError(handle).map { String(cString: $0) } ?? "unknown libsndfile error"
    }
}
