import Foundation
import Testing
import VVModelFiles

struct SafetensorsCheckpointTests {
    private func writeShards(_ dir: String, index: String) throws {
        var one = SafetensorsWriter()
        try one.add("layers.0.w", floats: [1, 2], shape: [2])
        try one.write(to: dir + "/model-00001-of-00002.safetensors")
        var two = SafetensorsWriter()
        try two.add("layers.1.w", floats: [3, 4, 5], shape: [3], dtype: .bf16)
        try two.write(to: dir + "/model-00002-of-00002.safetensors")
        try Data(index.utf8).write(to: URL(fileURLWithPath: dir + "/model.safetensors.index.json"))
    }

    @Test func opensShardedDirectory() throws {
        let dir = try makeTemporaryDirectory()
        try writeShards(dir, index: """
            {"metadata":{"total_size":10},"weight_map":{"layers.0.w":"model-00001-of-00002.safetensors",
            "layers.1.w":"model-00002-of-00002.safetensors"}}
            """)
        let checkpoint = try SafetensorsCheckpoint(path: dir)
        #expect(checkpoint.files.count == 2)
        #expect(checkpoint.tensorNames == ["layers.0.w", "layers.1.w"])
        #expect(try checkpoint.tensor(named: "layers.1.w")?.floats() == [3, 4, 5])
        #expect(try checkpoint.tensor(named: "layers.0.w")?.floats() == [1, 2])
    }

    @Test func refusesIndexNamingAbsentTensor() throws {
        let dir = try makeTemporaryDirectory()
        try writeShards(dir, index: """
            {"weight_map":{"layers.0.w":"model-00002-of-00002.safetensors","layers.1.w":"model-00002-of-00002.safetensors"}}
            """)
        #expect(throws: CheckpointError.self) { try SafetensorsCheckpoint(path: dir) }
    }

    @Test func refusesShardHoldingUnmappedTensor() throws {
        let dir = try makeTemporaryDirectory()
        try writeShards(dir, index: """
            {"weight_map":{"layers.0.w":"model-00001-of-00002.safetensors","layers.1.w":"model-00002-of-00002.safetensors"}}
            """)
        var one = SafetensorsWriter()
        try one.add("layers.0.w", floats: [1, 2], shape: [2])
        try one.add("stray", floats: [9], shape: [1])
        try one.write(to: dir + "/model-00001-of-00002.safetensors")
        #expect(throws: CheckpointError.self) { try SafetensorsCheckpoint(path: dir) }
    }

    @Test func refusesPathInShardName() throws {
        let dir = try makeTemporaryDirectory()
        try writeShards(dir, index: #"{"weight_map":{"layers.0.w":"../model-00001-of-00002.safetensors"}}"#)
        #expect(throws: CheckpointError.self) { try SafetensorsCheckpoint(path: dir) }
    }

    @Test func singleFileDirectoryAndMissingDirectory() throws {
        let dir = try makeTemporaryDirectory()
        var writer = SafetensorsWriter()
        try writer.add("x", floats: [7], shape: [1])
        try writer.write(to: dir + "/model.safetensors")
        #expect(try SafetensorsCheckpoint(path: dir).tensor(named: "x")?.floats() == [7])
        #expect(throws: CheckpointError.notFound(path: "/nonexistent-dir")) {
            try SafetensorsCheckpoint(path: "/nonexistent-dir")
        }
    }

    @Test func refusesDuplicateAcrossFiles() throws {
        let dir = try makeTemporaryDirectory()
        var writer = SafetensorsWriter()
        try writer.add("x", floats: [7], shape: [1])
        try writer.write(to: dir + "/a.safetensors")
        try writer.write(to: dir + "/b.safetensors")
        let files = try [SafetensorsFile(path: dir + "/a.safetensors"), SafetensorsFile(path: dir + "/b.safetensors")]
        #expect(throws: CheckpointError.self) { try SafetensorsCheckpoint(files: files) }
    }
}
