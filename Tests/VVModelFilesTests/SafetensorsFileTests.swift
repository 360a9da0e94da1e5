import Foundation
import Testing
import VVModelFiles

struct SafetensorsFileTests {
    @Test func readsFileWrittenByPythonLibrary() throws {
        let file = try SafetensorsFile(path: fixturePath("python_written.safetensors"))
        #expect(file.metadata == ["format": "pt"])
        #expect(file.tensorNames == ["a.f32", "b.bf16", "c.f16", "d.i64", "e.scalar", "f.i32"])
        let a = try #require(file.tensor(named: "a.f32"))
        #expect(a.dtype == .f32 && a.shape == [2, 3])
        #expect(try a.floats() == [1.0, -2.5, 3.25, 0.0, 1e-3, -65504.0])
        let b = try #require(file.tensor(named: "b.bf16"))
        #expect(b.dtype == .bf16 && b.shape == [4])
        #expect(try b.floats() == [1.0, -2.0, 0.5, 3.140625])
        let c = try #require(file.tensor(named: "c.f16"))
        #expect(try c.floats() == [1.0, -0.0999755859375, 65504.0, 0x1p-24])
        let d = try #require(file.tensor(named: "d.i64"))
        #expect(try d.integers() == [151643, -1, 0])
        let e = try #require(file.tensor(named: "e.scalar"))
        #expect(e.shape == [] && e.elementCount == 1)
        #expect(try e.floats() == [0.1875])
        #expect(try file.tensor(named: "f.i32")?.integers() == [7, 8])
        #expect(file.tensor(named: "missing") == nil)
        #expect(throws: CheckpointError.self) { try a.integers() }
    }

    @Test func writerRoundTrip() throws {
        var writer = SafetensorsWriter()
        writer.metadata = ["format": "pt", "note": "quote\" and \\ backslash"]
        try writer.add("w.bf16", floats: [1, -0.5, 2, 3.5, 0, 8], shape: [2, 3], dtype: .bf16)
        try writer.add("w.f16", floats: [0.25, -1], shape: [2], dtype: .f16)
        try writer.add("w.f32", floats: [0.1], shape: [], dtype: .f32)
        try writer.add("ids", integers: [5, -7], shape: [2], dtype: .i64)
        try writer.add("empty", floats: [], shape: [0, 4], dtype: .f32)
        #expect(throws: CheckpointError.self) { try writer.add("w.f32", floats: [1], shape: [1]) }
        #expect(throws: CheckpointError.self) { try writer.add("bad", floats: [1, 2], shape: [3]) }
        let bytes = writer.serialize()
        let headerLength = bytes.withUnsafeBytes { Int($0.loadUnaligned(as: UInt64.self)) }
        #expect((8 + headerLength) % 8 == 0)
        let dir = try makeTemporaryDirectory()
        let path = dir + "/x.safetensors"
        try writer.write(to: path)
        let file = try SafetensorsFile(path: path)
        #expect(file.metadata["note"] == "quote\" and \\ backslash")
        #expect(try file.tensor(named: "w.bf16")?.floats() == [1, -0.5, 2, 3.5, 0, 8])
        #expect(try file.tensor(named: "w.f16")?.floats() == [0.25, -1])
        #expect(try file.tensor(named: "w.f32")?.floats() == [0.1])
        #expect(try file.tensor(named: "ids")?.integers() == [5, -7])
        #expect(file.tensor(named: "empty")?.shape == [0, 4])
    }

    /// Each malformed file must be refused with `invalidSafetensors`, never read out of bounds.
    @Test(arguments: [
        ("short", [UInt8](repeating: 0, count: 5)),
        ("header past end", rawSafetensors(header: "{}", data: []).dropLast(1) + [UInt8]()),
        ("not json", rawSafetensors(header: "{nope", data: [])),
        ("not an object", rawSafetensors(header: "[1,2]", data: [])),
        ("unknown dtype", rawSafetensors(header: #"{"a":{"dtype":"Q4","shape":[1],"data_offsets":[0,1]}}"#, data: [0])),
        ("size mismatch", rawSafetensors(header: #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}}"#, data: [0, 0, 0, 0])),
        ("out of bounds", rawSafetensors(header: #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#, data: [0, 0, 0, 0])),
        ("negative dim", rawSafetensors(header: #"{"a":{"dtype":"U8","shape":[-1],"data_offsets":[0,0]}}"#, data: [])),
        ("reversed offsets", rawSafetensors(header: #"{"a":{"dtype":"U8","shape":[0],"data_offsets":[4,0]}}"#, data: [0, 0, 0, 0])),
        ("gap", rawSafetensors(header: #"{"a":{"dtype":"U8","shape":[1],"data_offsets":[1,2]}}"#, data: [0, 0])),
        ("trailing bytes", rawSafetensors(header: #"{"a":{"dtype":"U8","shape":[1],"data_offsets":[0,1]}}"#, data: [0, 0])),
        ("overlap", rawSafetensors(
            header: #"{"a":{"dtype":"U8","shape":[2],"data_offsets":[0,2]},"b":{"dtype":"U8","shape":[2],"data_offsets":[1,3]}}"#,
            data: [0, 0, 0])),
        ("overflow", rawSafetensors(
            header: #"{"a":{"dtype":"F64","shape":[4611686018427387904,4],"data_offsets":[0,8]}}"#, data: [UInt8](repeating: 0, count: 8))),
        ("two offsets", rawSafetensors(header: #"{"a":{"dtype":"U8","shape":[1],"data_offsets":[0]}}"#, data: [0])),
        ("huge header length", [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F, 0x7B, 0x7D]),
    ] as [(String, [UInt8])])
    func refusesMalformedFiles(label: String, bytes: [UInt8]) throws {
        let dir = try makeTemporaryDirectory()
        let path = dir + "/bad.safetensors"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        do {
            _ = try SafetensorsFile(path: path)
            Issue.record("\(label): accepted a malformed file")
        } catch let error as CheckpointError {
            guard case .invalidSafetensors = error else {
                Issue.record("\(label): wrong error \(error)")
                return
            }
        }
    }

    @Test func missingFileIsAnIOError() {
        #expect(throws: CheckpointError.self) { try SafetensorsFile(path: "/nonexistent/x.safetensors") }
    }
}
