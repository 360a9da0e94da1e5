import Foundation
import Testing

@testable import VVModelFiles

@Suite("TorchFile")
struct TorchFileTests {
    @Test("tensors match torch bit for bit", arguments: ["tiny_preset.pt", "mixed.pt", "mixed_deflate.pt"])
    func tensorsMatchTorch(file: String) throws {
        let value = try TorchFile.read(contentsOf: TorchFixtures.url(file))
        let found = value.tensorsWithPaths()
        let expected = try TorchFixtures.expected(file)
        #expect(found.map(\.path) == expected.map(\.path))
        for (got, want) in zip(found, expected) {
            let t = got.tensor
            #expect(t.dtype.rawValue == want.dtype, "\(want.path)")
            #expect(t.shape == want.shape, "\(want.path)")
            #expect(t.strides == want.strides, "\(want.path)")
            #expect(TorchFixtures.hex(t.contiguous().bytes) == want.hex, "\(want.path)")
            if let values = want.values {
                #expect(t.floatValues() == values.map { Float($0) }, "\(want.path)")
            }
        }
    }

    @Test("bf16 tensors come out as UInt16 bit patterns")
    func halfBits() throws {
        let value = try TorchFile.read(contentsOf: TorchFixtures.url("mixed.pt"))
        let want = try #require(try TorchFixtures.expected("mixed.pt").first { $0.path == "bf16" })
        let bits = try #require(value.dict?["bf16"]?.tensor).halfBits()
        let fromHex = stride(from: 0, to: want.hex.count, by: 4).map { i -> UInt16 in
            let chars = Array(want.hex)
            let lo = UInt16(String(chars[i..<(i + 2)]), radix: 16) ?? 0
            let hi = UInt16(String(chars[(i + 2)..<(i + 4)]), radix: 16) ?? 0
            return lo | hi << 8
        }
        #expect(bits == fromHex)
        #expect(bits.count == 6)
    }

    @Test("plain Python values are rebuilt")
    func plainValues() throws {
        let root = try #require(try TorchFile.read(contentsOf: TorchFixtures.url("mixed.pt")).dict)
        let numbers: [TorchValue] = [
            .int(1), .int(-1), .int(300), .int(70000), .int(-2_147_483_648), .int(Int.max), .int(Int.min),
            .float(1.5), .float(-0.0), .bool(true), .bool(false), .none,
        ]
        #expect(root["numbers"] == .list(numbers))
        #expect(root["text"] == .string("héllo ✓"))
        #expect(root["pair"] == .tuple([.int(1), .string("two"), .list([.float(3.0)])]))
        #expect(root["ordered"]?.dict?.keys == [.string("z"), .string("a")])
        #expect(root[.int(3)] == .string("int key"))
        #expect(root["scalar"]?.tensor?.shape == [])
        #expect(root["scalar"]?.tensor?.floatValues() == [3.25])
        #expect(root["empty"]?.tensor?.elementCount == 0)
    }

    @Test("views keep their strides and only the bytes they reach")
    func views() throws {
        let root = try #require(try TorchFile.read(contentsOf: TorchFixtures.url("mixed.pt")).dict)
        let offset = try #require(root["offset_view"]?.tensor)
        #expect(offset.floatValues() == [-0.5, 0, 0.5, 1, 1.5])
        #expect(offset.bytes.count == 5 * 4)
        let strided = try #require(root["strided_view"]?.tensor)
        #expect(strided.strides == [3])
        #expect(!strided.isContiguous)
        #expect(strided.floatValues() == [-1.5, 0, 1.5])
        let transposed = try #require(root["transposed"]?.tensor)
        #expect(transposed.strides == [1, 6])
        #expect(transposed.contiguous().strides == [4, 1])
    }

    @Test("the preset's objects keep their class names and fields")
    func objects() throws {
        let root = try #require(try TorchFile.read(contentsOf: TorchFixtures.url("tiny_preset.pt")).dict)
        #expect(root.keys == ["lm", "tts_lm", "neg_lm", "neg_tts_lm"].map { .string($0) })
        let lm = try #require(root["lm"]?.object)
        #expect(lm.className == "transformers.modeling_outputs.BaseModelOutputWithPast")
        #expect(lm.fields["hidden_states"] == TorchValue.none)
        let cache = try #require(lm.fields["past_key_values"]?.object)
        #expect(cache.className == "transformers.cache_utils.DynamicCache")
        #expect(cache.fields["_seen_tokens"] == .int(3))
        #expect(cache.fields["key_cache"]?.elements?.count == 2)
    }

    @Test(
        "globals off the allow-list are refused by name",
        arguments: [
            ("evil_system.pt", ".system"), ("evil_eval.pt", "builtins.eval"), ("unknown_global.pt", "datetime.date"),
        ])
    func forbiddenGlobals(file: String, name: String) throws {
        let url = try TorchFixtures.url(file)
        let error = TorchFixtures.error { _ = try TorchFile.read(contentsOf: url) }
        guard case .forbiddenGlobal(_, let global) = error else {
            Issue.record("expected forbiddenGlobal, got \(String(describing: error))")
            return
        }
        #expect(global.hasSuffix(name) && (global == name || name.hasPrefix(".")))
        #expect(error?.description.contains("not allowed") == true)
    }

    @Test(
        "storages that do not fit are refused",
        arguments: [
            ("bad_storage_small.pt", "need 12 elements"), ("bad_storage_file.pt", "holds 14 bytes"),
            ("bad_stride_overflow.pt", "overflows"),
        ])
    func badStorages(file: String, message: String) throws {
        let url = try TorchFixtures.url(file)
        let error = TorchFixtures.error { _ = try TorchFile.read(contentsOf: url) }
        guard case .badTensor(let reason) = error else {
            Issue.record("expected badTensor, got \(String(describing: error))")
            return
        }
        #expect(reason.contains(message), "\(reason)")
    }

    @Test("a truncated file is a zip error")
    func truncated() throws {
        let url = try TorchFixtures.url("truncated.pt")
        let error = TorchFixtures.error { _ = try TorchFile.read(contentsOf: url) }
        guard case .badZip = error else {
            Issue.record("expected badZip, got \(String(describing: error))")
            return
        }
    }

    @Test("every prefix of a preset throws instead of crashing")
    func everyPrefix() throws {
        let bytes = try TorchFixtures.bytes("tiny_preset.pt")
        for length in stride(from: 0, to: bytes.count, by: 13) {
            #expect(throws: TorchFileError.self) { _ = try TorchFile.read(bytes: Array(bytes[..<length])) }
        }
    }

    @Test("flipped bytes never crash the reader, and any flip inside a used member is caught")
    func flippedBytes() throws {
        let bytes = try TorchFixtures.bytes("tiny_preset.pt")
        let archive = try ZipArchive(bytes: bytes)
        func u16(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 }
        // Members the reader uses (torch's `.data/serialization_id`, `.format_version`... are never read).
        let memberData = archive.entries.filter { !$0.name.contains("/.") }.map { entry -> Range<Int> in
            let start =
                entry.localHeaderOffset + 30 + u16(entry.localHeaderOffset + 26) + u16(entry.localHeaderOffset + 28)
            return start..<(start + entry.compressedSize)
        }
        var flipsInData = 0
        for position in stride(from: 0, to: bytes.count, by: 3) {
            var corrupt = bytes
            corrupt[position] ^= 0x5A
            let inData = memberData.contains { $0.contains(position) }
            if inData { flipsInData += 1 }
            do {
                _ = try TorchFile.read(bytes: corrupt)
                #expect(!inData, "flip at \(position) inside a member was not detected")
            } catch {
                // Typed throws: only a TorchFileError can arrive here.
            }
        }
        #expect(flipsInData > 1000)
    }

    @Test("a missing file names its path")
    func missingFile() {
        let error = TorchFixtures.error {
            _ = try TorchFile.read(contentsOf: URL(fileURLWithPath: "/nonexistent/voice.pt"))
        }
        #expect(error?.description.contains("/nonexistent/voice.pt") == true)
    }

    @Test("members that would unpack past the size limit are refused")
    func memberLimit() throws {
        let bytes = try TorchFixtures.bytes("mixed_deflate.pt")
        #expect(throws: TorchFileError.tooLarge(bytes: 1624, limit: 1000)) {
            _ = try TorchFile.read(bytes: bytes, maxBytes: 1000)
        }
    }

    @Test("files over the size limit are refused before reading")
    func sizeLimit() throws {
        let url = try TorchFixtures.url("tiny_preset.pt")
        #expect(throws: TorchFileError.self) { _ = try TorchFile.read(contentsOf: url, maxBytes: 100) }
    }
}
