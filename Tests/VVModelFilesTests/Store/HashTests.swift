import Foundation
import Testing
@testable import VVModelFiles

/// Digest vectors from FIPS 180-2 Appendix B/C and git's documentation, not from this code.
struct HashTests {
    @Test func sha256KnownVectors() {
        #expect(SHA256.hex(Array("".utf8)) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(
            SHA256.hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
        var hasher = SHA256()
        let chunk = [UInt8](repeating: UInt8(ascii: "a"), count: 1000)
        for _ in 0..<1000 { hasher.update(chunk) }
        #expect(hasher.finalizeHex() == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func sha256IsIndependentOfChunking() {
        let bytes = (0..<10_000).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
        var hasher = SHA256()
        var offset = 0
        for size in [1, 63, 64, 65, 127, 3000, 5] + Array(repeating: 1000, count: 10) where offset < bytes.count {
            let end = min(bytes.count, offset + size)
            hasher.update(Array(bytes[offset..<end]))
            offset = end
        }
        #expect(hasher.finalizeHex() == SHA256.hex(bytes))
    }

    @Test func sha1KnownVectorsAndGitBlobIds() {
        #expect(SHA1.hex(Array("abc".utf8)) == "a9993e364706816aba3e25717850c26c9cd0d89d")
        #expect(
            SHA1.hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
                == "84983e441c3bd26ebaae4aa1f95129e5e54670f1")
        // `echo 'hello' | git hash-object --stdin` and the empty blob id.
        var hello = SHA1.gitBlob(length: 6)
        hello.update(Array("hello\n".utf8))
        #expect(hello.finalizeHex() == "ce013625030ba8dba906f756967f9e9ca394464a")
        var empty = SHA1.gitBlob(length: 0)
        #expect(empty.finalizeHex() == "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391")
    }

    @Test func sha256MatchesTheSystemTool() throws {
        let tool = URL(fileURLWithPath: "/usr/bin/sha256sum")
        guard FileManager.default.isExecutableFile(atPath: tool.path) else {
            print("SKIP sha256MatchesTheSystemTool: /usr/bin/sha256sum not present; the FIPS vectors above still run")
            return
        }
        var generator = SeededBytes(seed: 42)
        let bytes = generator.bytes(1_234_567)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("vv-sha-\(UUID().uuidString)")
        try Data(bytes).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let process = Process()
        process.executableURL = tool
        process.arguments = [file.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        process.waitUntilExit()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(output.split(separator: " ").first.map(String.init) == SHA256.hex(bytes))
    }

    @Test func etagParsing() {
        let sha = String(repeating: "ab", count: 32)
        #expect(Checksum(etag: "\"\(sha)\"") == .sha256(sha))
        #expect(Checksum(etag: "W/\"\(sha.uppercased())\"") == .sha256(sha))
        #expect(Checksum(etag: "\"\(String(repeating: "c", count: 40))\"") == .gitBlobSHA1(String(repeating: "c", count: 40)))
        #expect(Checksum(etag: "\"abc-123\"") == nil)
    }
}

/// Deterministic pseudo-random bytes (SplitMix64), so test files are reproducible.
struct SeededBytes {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func bytes(_ count: Int) -> [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(count + 8)
        while out.count < count {
            state &+= 0x9e37_79b9_7f4a_7c15
            var z = state
            z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
            z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
            z ^= z >> 31
            withUnsafeBytes(of: z) { out += $0 }
        }
        return Array(out.prefix(count))
    }
}
