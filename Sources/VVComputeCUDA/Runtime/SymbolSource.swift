import VVPlatform

/// Where typed function tables find their C functions: a loaded `DynamicLibrary`, or a test double that records
/// which names were asked for.
public protocol SymbolSource {
    /// The library path or name, for messages.
    var path: String { get }
    /// The address of an exported function, or nil when it is absent.
    func symbol(_ name: String) -> UnsafeMutableRawPointer?
}

extension DynamicLibrary: SymbolSource {}

extension SymbolSource {
    /// Resolves `name` as the `@convention(c)` function type `T`.
    /// - Throws: `CUDALoadError.symbolMissing` naming `library`, the path and the symbol.
    func resolve<T>(_ name: String, _ library: String, as type: T.Type = T.self) throws -> T {
        guard let address = symbol(name) else {
            throw CUDALoadError.symbolMissing(library: library, path: path, symbol: name)
        }
        return unsafeBitCast(address, to: T.self)
    }
}
