import Foundation
import Testing
import VVModelFiles

/// Random corruptions of a valid file: each must be refused with an error or yield views that lie inside the file
/// and match their dtype and shape; nothing may crash or read out of bounds.
struct SafetensorsFuzzTests {
    @Test func corruptedHeadersNeverEscapeTheFile() throws {
        var writer = SafetensorsWriter()
        try writer.add("a", floats: [1, 2, 3, 4, 5, 6], shape: [2, 3], dtype: .bf16)
        try writer.add("b", floats: [7, 8], shape: [2], dtype: .f32)
        try writer.add("c", integers: [9], shape: [1], dtype: .i64)
        let original = writer.serialize()
        let headerEnd = 8 + original.withUnsafeBytes { Int($0.loadUnaligned(as: UInt64.self)) }
        let dir = try makeTemporaryDirectory()
        var state: UInt64 = 0x1234_5678_9ABC_DEF1
        func next() -> Int {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return Int(state % 1_000_003)
        }
        let alphabet = Array("0123456789[],:{}\"- ".utf8)
        var accepted = 0
        for iteration in 0..<1500 {
            var bytes = original
            for _ in 0..<(1 + next() % 3) {
                let position = next() % headerEnd
                bytes[position] = position < 8 ? UInt8(next() % 256) : alphabet[next() % alphabet.count]
            }
            if next() % 5 == 0 { bytes.removeLast(next() % 12) }
            let path = dir + "/fuzz\(iteration % 8).safetensors"
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            guard let file = try? SafetensorsFile(path: path) else { continue }
            accepted += 1
            try file.withMappedBytes { fileBytes in
                for name in file.tensorNames {
                    let view = try #require(file.tensor(named: name))
                    #expect(view.bytes.count == view.elementCount * view.dtype.byteSize)
                    if view.bytes.count > 0, let start = view.bytes.baseAddress, let base = fileBytes.baseAddress {
                        #expect(start >= base && start + view.bytes.count <= base + fileBytes.count)
                    }
                }
            }
        }
        #expect(accepted < 1500, "some corruptions must be refused")
    }
}
