import Foundation
import Testing

@testable import VVModelFiles

/// The committed fixtures made by `tools/reference/make_voice_fixtures.py`.
enum TorchFixtures {
    /// URL of a fixture file.
    static func url(_ name: String) throws -> URL {
        try #require(Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures"))
    }

    /// Raw bytes of a fixture file.
    static func bytes(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: try url(name)))
    }

    /// One tensor as torch read it.
    struct ExpectedTensor: Decodable, Sendable {
        let path: String
        let dtype: String
        let shape: [Int]
        let strides: [Int]
        let hex: String
        let values: [Double]?
    }

    /// Tensors per fixture file, from `expected.json`.
    static func expected(_ file: String) throws -> [ExpectedTensor] {
        let all = try JSONDecoder().decode(
            [String: [ExpectedTensor]].self, from: Data(contentsOf: try url("expected.json")))
        return try #require(all[file])
    }

    /// The sizes of `tiny_preset.pt`.
    static let tinyShape = VoicePresetShape(
        baseLayers: 2, ttsLayers: 3, kvHeads: 2, headDim: 4, hiddenSize: 8, dtype: .bfloat16)

    /// Lowercase hex of `bytes`.
    static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { String(format: "%02x", $0) }.joined()
    }

    /// Runs `body`, which must throw a `TorchFileError`, and returns that error.
    static func error(_ body: () throws -> Void) -> TorchFileError? {
        do {
            try body()
            return nil
        } catch let error as TorchFileError {
            return error
        } catch {
            return .unreadable(path: "", reason: "unexpected error type \(type(of: error))")
        }
    }
}

/// A tiny pickle assembler for hand-written test pickles (opcodes as named in CPython's `pickletools`).
struct PickleBytes {
    var bytes: [UInt8] = [0x80, 0x02]  // PROTO 2

    mutating func op(_ code: UInt8, _ args: [UInt8] = []) {
        bytes.append(code)
        bytes += args
    }

    mutating func global(_ module: String, _ name: String) {
        op(0x63, Array("\(module)\n\(name)\n".utf8))
    }

    mutating func string(_ s: String) {
        let utf8 = Array(s.utf8)
        op(0x58, withUnsafeBytes(of: UInt32(utf8.count).littleEndian, Array.init) + utf8)
    }

    mutating func int(_ value: UInt8) { op(0x4B, [value]) }
    mutating func mark() { op(0x28) }
    mutating func stop() { op(0x2E) }

    /// Pushes `_rebuild_tensor_v2(('storage', BFloat16Storage, key, 'cpu', numel), offset, size, stride, False,
    /// OrderedDict())` onto the stack.
    mutating func tensor(key: String, numel: UInt8, offset: UInt8, size: [UInt8], stride: [UInt8]) {
        global("torch._utils", "_rebuild_tensor_v2")
        mark()
        mark()
        string("storage")
        global("torch", "BFloat16Storage")
        string(key)
        string("cpu")
        int(numel)
        op(0x74)  // TUPLE
        op(0x51)  // BINPERSID
        int(offset)
        mark()
        for s in size { int(s) }
        op(0x74)
        mark()
        for s in stride { int(s) }
        op(0x74)
        op(0x89)  // NEWFALSE
        global("collections", "OrderedDict")
        op(0x29)  // EMPTY_TUPLE
        op(0x52)  // REDUCE
        op(0x74)  // TUPLE
        op(0x52)  // REDUCE
    }
}
