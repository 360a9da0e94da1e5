import Testing

@testable import VVModelFiles

@Suite("ZipArchive")
struct ZipArchiveTests {
    @Test("torch's zip64 layout: members, folder name and CRC-checked contents")
    func torchLayout() throws {
        let archive = try ZipArchive(bytes: TorchFixtures.bytes("tiny_preset.pt"))
        let names = archive.entries.map(\.name)
        #expect(names.first == "tiny_preset/data.pkl")
        #expect(names.contains("tiny_preset/byteorder") && names.contains("tiny_preset/version"))
        #expect(names.filter { $0.hasPrefix("tiny_preset/data/") }.count == 24)
        let order = try #require(archive.entry("tiny_preset/byteorder"))
        #expect(try archive.contents(of: order) == Array("little".utf8))
    }

    @Test("deflated members read the same as stored ones")
    func deflated() throws {
        let stored = try ZipArchive(bytes: TorchFixtures.bytes("mixed.pt"))
        let deflated = try ZipArchive(bytes: TorchFixtures.bytes("mixed_deflate.pt"))
        #expect(deflated.entries.contains { $0.method == 8 })
        for entry in stored.entries {
            let other = try #require(deflated.entry(entry.name))
            #expect(try deflated.contents(of: other) == stored.contents(of: entry), "\(entry.name)")
        }
    }

    @Test("not a zip")
    func notAZip() {
        #expect(throws: TorchFileError.badZip("file is too short to be a zip (3 bytes)")) {
            _ = try ZipArchive(bytes: [1, 2, 3])
        }
        #expect(throws: TorchFileError.badZip("no end-of-central-directory record (not a zip, or truncated)")) {
            _ = try ZipArchive(bytes: [UInt8](repeating: 0x50, count: 100))
        }
    }

    @Test("a directory pointing outside the file is refused")
    func directoryOutside() {
        // An end record claiming one member in a 46-byte directory at offset 1000 of a 22-byte file.
        var end: [UInt8] = [0x50, 0x4B, 0x05, 0x06, 0, 0, 0, 0, 1, 0, 1, 0, 46, 0, 0, 0, 0xE8, 0x03, 0, 0, 0, 0]
        #expect(throws: TorchFileError.badZip("central directory lies outside the file (truncated?)")) {
            _ = try ZipArchive(bytes: end)
        }
        end[16] = 0
        end[17] = 0
        #expect(throws: TorchFileError.self) { _ = try ZipArchive(bytes: end) }
    }
}
