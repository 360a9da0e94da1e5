import Foundation
import VVPlatform

/// NVRTC, loaded at run time: compiles CUDA C source to PTX or CUBIN (no GPU needed).
public final class NVRTC: @unchecked Sendable {
    /// The library name or path that loaded.
    public let path: String
    /// Major version (12 for NVRTC 12.9).
    public let major: Int
    /// Minor version.
    public let minor: Int
    /// The architectures this NVRTC can target, ascending (`nvrtcGetSupportedArchs`: 50 … 121 for 12.9).
    public let supportedArchitectures: [Int]
    let api: NVRTCAPI
    private let library: DynamicLibrary
    private let lock = NSLock()

    private init(library: DynamicLibrary, api: NVRTCAPI) throws {
        self.library = library
        self.api = api
        path = library.path
        var major: Int32 = 0, minor: Int32 = 0
        try Self.check(api, api.version(&major, &minor), "nvrtcVersion")
        self.major = Int(major)
        self.minor = Int(minor)
        var count: Int32 = 0
        try Self.check(api, api.getNumSupportedArchs(&count), "nvrtcGetNumSupportedArchs")
        var archs = [Int32](repeating: 0, count: Int(max(count, 0)))
        if count > 0 { try Self.check(api, api.getSupportedArchs(&archs), "nvrtcGetSupportedArchs") }
        supportedArchitectures = archs.map(Int.init).sorted()
    }

    /// `"12.9"`.
    public var versionText: String { "\(major).\(minor)" }

    /// Opens the first candidate that loads and resolves the whole table, in candidate order.
    /// - Throws: `CUDALoadError.libraryNotFound` listing every candidate and why it failed, or the
    ///   `CUDALoadError.symbolMissing` of the last library that opened but was incomplete.
    public static func load(candidates: [String]) throws -> NVRTC {
        try loadFirst(candidates: candidates) { _ in nil }
    }

    /// Like `load`, but skips (with a reason) libraries for which `reject` returns a reason, such as an NVRTC whose
    /// major version is newer than the driver's.
    /// - Throws: `CUDALoadError.libraryNotFound` when none opens, `.noUsableNVRTC` listing the rejections otherwise.
    public static func loadFirst(candidates: [String], reject: (NVRTC) -> String?) throws -> NVRTC {
        var failures: [String] = []
        var rejections: [String] = []
        var lastMissing: CUDALoadError?
        for candidate in candidates {
            switch DynamicLibrary.open([candidate]) {
            case .failure(let why):
                failures.append(why.message)
            case .success(let library):
                do {
                    let nvrtc = try NVRTC(library: library, api: NVRTCAPI(library))
                    if let reason = reject(nvrtc) {
                        rejections.append("\(candidate): \(reason)")
                        continue
                    }
                    return nvrtc
                } catch let error as CUDALoadError {
                    lastMissing = error
                    failures.append("\(candidate): \(error)")
                }
            }
        }
        if !rejections.isEmpty { throw CUDALoadError.noUsableNVRTC(reason: rejections.joined(separator: "; ")) }
        if let lastMissing, failures.count == 1 { throw lastMissing }
        let tried = candidates.isEmpty ? "no candidate names" : failures.joined(separator: "; ")
        throw CUDALoadError.libraryNotFound(library: "NVRTC library", tried: tried)
    }

    private static func check(_ api: NVRTCAPI, _ code: Int32, _ call: String) throws {
        guard code != 0 else { return }
        throw CUDALoadError.callFailed(call: call, code: code, name: api.message(code))
    }

    /// The best target for a device of `architecture`: a CUBIN when this NVRTC knows the architecture, PTX for the
    /// newest one it knows when the device is newer (the driver JIT-compiles it), nil when the device is older than
    /// every architecture it supports.
    public func target(forDevice architecture: Int) -> KernelTarget? {
        if supportedArchitectures.contains(architecture) { return .cubin(architecture: architecture) }
        if let newest = supportedArchitectures.last, newest < architecture { return .ptx(architecture: newest) }
        return nil
    }

    /// Compiles `source` (named `name` in diagnostics) for `target`; returns the PTX text (without its trailing
    /// NUL) or the CUBIN bytes.
    /// - Throws: `CUDAError.compilationFailed` with NVRTC's log, or `CUDAError.nvrtc` for other failures.
    public func compile(source: String, name: String, target: KernelTarget, options: [String] = []) throws -> [UInt8] {
        lock.lock()
        defer { lock.unlock() }
        var program: OpaquePointer?
        let created = source.withCString { src in name.withCString { api.createProgram(&program, src, $0, 0, nil, nil) }
        }
        guard created == 0 else {
            throw CUDAError.nvrtc(call: "nvrtcCreateProgram", code: created, message: api.message(created))
        }
        defer { _ = api.destroyProgram(&program) }
        let allOptions = [target.option] + options
        // C copies of the options, made without strdup (not portable to Windows under that name).
        let pointers: [UnsafeMutablePointer<CChar>] = allOptions.map { option in
            let bytes = Array(option.utf8CString)
            let copy = UnsafeMutablePointer<CChar>.allocate(capacity: bytes.count)
            copy.initialize(from: bytes, count: bytes.count)
            return copy
        }
        defer { pointers.forEach { $0.deallocate() } }
        let compiled = pointers.map { UnsafePointer($0) }.withUnsafeBufferPointer {
            api.compileProgram(program, Int32(allOptions.count), $0.baseAddress)
        }
        if compiled != 0 {
            throw CUDAError.compilationFailed(kernel: name, target: target.description, log: programLog(program))
        }
        let (getSize, getBytes, call) =
            switch target {
            case .ptx: (api.getPTXSize, api.getPTX, "nvrtcGetPTX")
            case .cubin: (api.getCUBINSize, api.getCUBIN, "nvrtcGetCUBIN")
            }
        var size = 0
        let sized = getSize(program, &size)
        guard sized == 0 else { throw CUDAError.nvrtc(call: call + "Size", code: sized, message: api.message(sized)) }
        var bytes = [CChar](repeating: 0, count: max(size, 1))
        let got = getBytes(program, &bytes)
        guard got == 0 else { throw CUDAError.nvrtc(call: call, code: got, message: api.message(got)) }
        var result = bytes.prefix(size).map { UInt8(bitPattern: $0) }
        if case .ptx = target { while result.last == 0 { result.removeLast() } }
        return result
    }

    private func programLog(_ program: OpaquePointer?) -> String {
        var size = 0
        guard api.getProgramLogSize(program, &size) == 0, size > 1 else { return "" }
        var log = [CChar](repeating: 0, count: size)
        guard api.getProgramLog(program, &log) == 0 else { return "" }
        return String(decoding: log.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
