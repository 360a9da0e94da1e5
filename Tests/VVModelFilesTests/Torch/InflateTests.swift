import Testing

@testable import VVModelFiles

@Suite("Inflate")
struct InflateTests {
    private func bytes(hex: String) -> ArraySlice<UInt8> {
        let chars = Array(hex)
        return ArraySlice(
            stride(from: 0, to: chars.count, by: 2).map { UInt8(String(chars[$0..<($0 + 2)]), radix: 16) ?? 0 })
    }

    @Test("a stored block")
    func stored() throws {
        let input = ArraySlice<UInt8>([0x01, 0x05, 0x00, 0xFA, 0xFF] + Array("hello".utf8))
        #expect(try Inflate.decompress(input, expectedSize: 5) == Array("hello".utf8))
    }

    @Test("fixed-Huffman blocks from zlib, with back-references")
    func fixed() throws {
        #expect(try Inflate.decompress(bytes(hex: "4b0400"), expectedSize: 1) == Array("a".utf8))
        let repeated = Array("abcabcabcabcabc".utf8)
        #expect(try Inflate.decompress(bytes(hex: "4b4c4a4e444200"), expectedSize: 15) == repeated)
    }

    @Test("a dynamic-Huffman block from zlib level 9")
    func dynamic() throws {
        // zlib.compressobj(9, DEFLATED, -15) of the text below (made with CPython's zlib).
        let text = (0..<40).map { "voice \($0): en-Carter_man zh-Xinran_woman in-Samuel_man " }.joined()
        let input = bytes(
            hex:
                "9dd54d0a02310c86e1abf40205f3c5ffad477033bba148c1829381a223787a716ee0bb2ce15de5215de676ab69734e35f2a5f467ede354227dee7968d14b8ceff9f76e91af657ad5c73a5dd6c84824123989b624da91684fa203898e243aa1e53212c88421148654186261c8852118866418a261c886900db17b816c08d910b2216443c886900d211b42361cd97064c3d967826c38b2e1c886231b8e6c38b2e17fdaf802"
        )
        #expect(try Inflate.decompress(input, expectedSize: text.utf8.count) == Array(text.utf8))
    }

    @Test(
        "malformed streams are refused",
        arguments: [
            ("07", 1, "deflate block type 3 is invalid"),
            ("010500faee68656c6c6f", 5, "deflate stored block length check failed"),
            ("030200", 3, "deflate distance reaches before the start"),
            ("4b4c4a4e444200", 14, "deflate output exceeds the declared size"),
            ("4b4c4a4e444200", 16, "deflate stream gave 15 bytes, the directory says 16"),
            ("4b4c", 15, "deflate stream is truncated"),
        ])
    func malformed(hex: String, size: Int, message: String) {
        #expect(throws: TorchFileError.badZip(message)) {
            _ = try Inflate.decompress(bytes(hex: hex), expectedSize: size)
        }
    }
}
