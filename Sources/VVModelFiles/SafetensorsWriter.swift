import Foundation
import VVPlatform

/// Builds safetensors files: used to make random-weight checkpoints at any shape for tests and benchmarks.
///
/// Tensors are written in insertion order, contiguous, after a header padded with spaces to a multiple of 8 bytes
/// (as the reference writer does), so every tensor starts 8-byte aligned relative to the file start.
public struct SafetensorsWriter: Sendable {
    private struct Item: Sendable {
        let name: String
        let dtype: SafetensorsDType
        let shape: [Int]
        let bytes: [UInt8]
    }

    private var items: [Item] = []
    /// Optional `__metadata__` strings.
    public var metadata: [String: String] = [:]

    /// Creates an empty writer.
    public init() {}

    /// Adds a tensor from raw little-endian bytes.
    /// - Throws: `CheckpointError.unsupportedConversion` when the byte count does not match dtype and shape, or the
    ///   name is already present.
    public mutating func add(_ name: String, dtype: SafetensorsDType, shape: [Int], bytes: [UInt8]) throws {
        guard bytes.count == shape.reduce(1, *) * dtype.byteSize else {
            throw CheckpointError.unsupportedConversion(
                name: name, reason: "\(bytes.count) bytes do not fit \(dtype.rawValue)\(shape)")
        }
        guard !items.contains(where: { $0.name == name }) else {
            throw CheckpointError.unsupportedConversion(name: name, reason: "added twice")
        }
        items.append(Item(name: name, dtype: dtype, shape: shape, bytes: bytes))
    }

    /// Adds a tensor from `Float` values stored as `dtype` (f32, f16 or bf16).
    /// - Throws: as `add(_:dtype:shape:bytes:)`, or for a non-float dtype.
    public mutating func add(_ name: String, floats: [Float], shape: [Int], dtype: SafetensorsDType = .f32) throws {
        guard [.f32, .f16, .bf16].contains(dtype) else {
            throw CheckpointError.unsupportedConversion(name: name, reason: "cannot store floats as \(dtype.rawValue)")
        }
        var bytes = [UInt8](repeating: 0, count: floats.count * dtype.byteSize)
        bytes.withUnsafeMutableBytes { Self.encode(floats, as: dtype, into: $0) }
        try add(name, dtype: dtype, shape: shape, bytes: bytes)
    }

    /// Adds an integer tensor stored as i32 or i64.
    /// - Throws: as `add(_:dtype:shape:bytes:)`, or for another dtype.
    public mutating func add(_ name: String, integers: [Int], shape: [Int], dtype: SafetensorsDType = .i64) throws {
        var bytes: [UInt8] = []
        switch dtype {
        case .i32: for v in integers { withUnsafeBytes(of: Int32(v).littleEndian) { bytes += $0 } }
        case .i64: for v in integers { withUnsafeBytes(of: Int64(v).littleEndian) { bytes += $0 } }
        default: throw CheckpointError.unsupportedConversion(name: name, reason: "integers as \(dtype.rawValue)")
        }
        try add(name, dtype: dtype, shape: shape, bytes: bytes)
    }

    /// The complete file contents.
    public func serialize() -> [UInt8] {
        var json = "{"
        var parts: [String] = []
        if !metadata.isEmpty {
            let fields = metadata.sorted { $0.key < $1.key }.map { "\(Self.quote($0.key)):\(Self.quote($0.value))" }
            parts.append("\"__metadata__\":{\(fields.joined(separator: ","))}")
        }
        var offset = 0
        for item in items {
            let shape = item.shape.map(String.init).joined(separator: ",")
            parts.append(
                "\(Self.quote(item.name)):{\"dtype\":\"\(item.dtype.rawValue)\",\"shape\":[\(shape)],"
                    + "\"data_offsets\":[\(offset),\(offset + item.bytes.count)]}")
            offset += item.bytes.count
        }
        json += parts.joined(separator: ",") + "}"
        var header = Array(json.utf8)
        while (header.count + 8) % 8 != 0 { header.append(UInt8(ascii: " ")) }
        var out: [UInt8] = []
        out.reserveCapacity(8 + header.count + offset)
        withUnsafeBytes(of: UInt64(header.count).littleEndian) { out += $0 }
        out += header
        for item in items { out += item.bytes }
        return out
    }

    /// Writes the file to `path`, replacing any file there.
    /// - Throws: `CheckpointError.io` when the write fails.
    public func write(to path: String) throws {
        do {
            try Data(serialize()).write(to: URL(fileURLWithPath: path))
        } catch {
            throw CheckpointError.io(path: path, reason: "\(error)")
        }
    }

    /// Encodes `values` as little-endian f32, f16 or bf16 into `buffer` (which must be exactly large enough).
    public static func encode(_ values: [Float], as dtype: SafetensorsDType, into buffer: UnsafeMutableRawBufferPointer) {
        switch dtype {
        case .bf16:
            for (i, v) in values.enumerated() {
                buffer.storeBytes(of: HalfPrecision.floatToBF16(v).littleEndian, toByteOffset: 2 * i, as: UInt16.self)
            }
        case .f16:
            for (i, v) in values.enumerated() {
                buffer.storeBytes(of: HalfPrecision.floatToF16(v).littleEndian, toByteOffset: 2 * i, as: UInt16.self)
            }
        default:
            for (i, v) in values.enumerated() {
                buffer.storeBytes(of: v.bitPattern.littleEndian, toByteOffset: 4 * i, as: UInt32.self)
            }
        }
    }

    private static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
