#if os(Windows)
    import WinSDK
#elseif canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A shared library opened at run time (`dlopen` on Unix, `LoadLibraryW`/`LoadLibraryExW` on Windows); never
/// unloaded.
///
/// Optional native libraries (libsndfile, the CUDA driver, NVRTC, cuBLAS) are reached only through this type, so
/// `swift build` needs none of them. A missing library is reported by `open` as a failure naming every name tried.
/// On Windows a candidate that is a full path is opened with `LOAD_WITH_ALTERED_SEARCH_PATH`, so the DLLs it depends
/// on (NVRTC's `nvrtc-builtins64_*.dll`) are found in its own folder; that branch has not been compiled here.
public final class DynamicLibrary: @unchecked Sendable {
    /// The name or path that opened.
    public let path: String
    private let handle: UnsafeMutableRawPointer

    private init(path: String, handle: UnsafeMutableRawPointer) {
        self.path = path
        self.handle = handle
    }

    /// Opens the first of `candidates` that loads; otherwise returns why each one failed, in order.
    public static func open(_ candidates: [String]) -> Result<DynamicLibrary, LoadFailure> {
        var reasons: [String] = []
        for name in candidates {
            switch openOne(name) {
            case .success(let h): return .success(DynamicLibrary(path: name, handle: h))
            case .failure(let why): reasons.append("\(name): \(why.message)")
            }
        }
        if candidates.isEmpty { reasons.append("no candidate names") }
        return .failure(LoadFailure(message: reasons.joined(separator: "; ")))
    }

    /// Returns the address of `symbol`, or nil when the library does not export it.
    public func symbol(_ symbol: String) -> UnsafeMutableRawPointer? {
        #if os(Windows)
            guard let proc = GetProcAddress(unsafeBitCast(handle, to: HMODULE.self), symbol) else { return nil }
            return unsafeBitCast(proc, to: UnsafeMutableRawPointer.self)
        #else
            return dlsym(handle, symbol)
        #endif
    }

    /// Returns `symbol` as a typed C function pointer (`T` must be a `@convention(c)` function type), or nil.
    public func function<T>(_ symbol: String, as type: T.Type = T.self) -> T? {
        guard let address = self.symbol(symbol) else { return nil }
        return unsafeBitCast(address, to: T.self)
    }

    /// Why a library did not load: one line listing each name tried and the loader's message for it.
    public struct LoadFailure: Error, Sendable, CustomStringConvertible {
        /// `name: loader message` for each candidate, joined by `; `.
        public let message: String

        /// The message.
        public var description: String { message }
    }

    private static func openOne(_ name: String) -> Result<UnsafeMutableRawPointer, LoadFailure> {
        #if os(Windows)
            let isPath = name.contains("\\") || name.contains("/")
            let h = name.withCString(encodedAs: UTF16.self) { wide in
                isPath ? LoadLibraryExW(wide, nil, DWORD(LOAD_WITH_ALTERED_SEARCH_PATH)) : LoadLibraryW(wide)
            }
            guard let h else { return .failure(LoadFailure(message: "LoadLibrary error \(GetLastError())")) }
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
