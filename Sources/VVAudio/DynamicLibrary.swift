#if os(Windows)
    import WinSDK
#elseif canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A shared library opened at run time (`dlopen` on Unix, `LoadLibraryW` on Windows); never unloaded.
///
/// Codec libraries are optional: a missing one is reported by `open` as an error naming every path tried.
final class DynamicLibrary: @unchecked Sendable {
    /// The name or path that opened.
    let path: String
    private let handle: UnsafeMutableRawPointer

    private init(path: String, handle: UnsafeMutableRawPointer) {
        self.path = path
        self.handle = handle
    }

    /// Opens the first of `candidates` that loads; returns the reasons for each failure otherwise.
    static func open(_ candidates: [String]) -> Result<DynamicLibrary, LoadFailure> {
        var reasons: [String] = []
        for name in candidates {
            switch openOne(name) {
            case .success(let h): return .success(DynamicLibrary(path: name, handle: h))
            case .failure(let why): reasons.append("\(name): \(why.message)")
            }
        }
        return .failure(LoadFailure(message: reasons.joined(separator: "; ")))
    }

    /// Returns the address of `symbol`, or nil.
    func symbol(_ symbol: String) -> UnsafeMutableRawPointer? {
        #if os(Windows)
            guard let proc = GetProcAddress(unsafeBitCast(handle, to: HMODULE.self), symbol) else { return nil }
            return unsafeBitCast(proc, to: UnsafeMutableRawPointer.self)
        #else
            return dlsym(handle, symbol)
        #endif
    }

    /// Why a library did not load.
    struct LoadFailure: Error {
        let message: String
    }

    private static func openOne(_ name: String) -> Result<UnsafeMutableRawPointer, LoadFailure> {
        #if os(Windows)
            let h = name.withCString(encodedAs: UTF16.self) { LoadLibraryW($0) }
            guard let h else { return .failure(LoadFailure(message: "LoadLibraryW error \(GetLastError())")) }
            return .success(unsafeBitCast(h, to: UnsafeMutableRawPointer.self))
        #else
            guard let h = dlopen(name, RTLD_NOW | RTLD_LOCAL) else {
                let msg = dlerror().map { String(cString: $0) } ?? "not found"
                return .failure(LoadFailure(message: msg))
            }
            return .success(h)
        #endif
    }
}
