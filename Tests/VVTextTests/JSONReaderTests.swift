import Testing

@testable import VVText

@Suite struct JSONReaderTests {
    private func parse(_ text: String) throws -> JSONValue {
        let bytes = Array(text.utf8)
        return try bytes.withUnsafeBufferPointer { try JSONReader.parse($0) }
    }

    @Test func stringsKeepExactScalars() throws {
        // U+FEFF inside strings must survive (Foundation's JSONSerialization drops some on Linux).
        let v = try parse(#"{"a": "\u00e9\ud83d\ude00\ufeffx\uFEFF", "b": "\ufeff\"\\\/\b\f\n\r\t"}"#)
        #expect(v["a"]?.string?.unicodeScalars.map(\.value) == [0xE9, 0x1F600, 0xFEFF, 0x78, 0xFEFF])
        #expect(v["b"]?.string == "\u{FEFF}\"\\/\u{8}\u{C}\n\r\t")
        #expect(try parse("\"\u{FEFF}x\"").string?.unicodeScalars.count == 2)
    }

    @Test func valuesAndOrder() throws {
        let v = try parse(#" {"n": -1.5e2, "t": true, "f": false, "z": null, "l": [1, [], {}], "n": 7} "#)
        #expect(v["n"]?.number == 7)  // last duplicate wins
        #expect(v["t"]?.bool == true && v["f"]?.bool == false && JSONValue.isNull(v["z"]))
        #expect(v["l"]?.array?.count == 3)
        if case .object(let members) = v {
            #expect(members.map { String(decoding: $0.key, as: UTF8.self) } == ["n", "t", "f", "z", "l", "n"])
        } else {
            Issue.record("not an object")
        }
    }

    @Test(arguments: [
        "{", "[1,]", #"{"a" 1}"#, #""\ud800""#, #""\udc00x""#, #""\x""#, "tru", "1 2", "\"a\u{1}\"", "[1] x", "",
    ])
    func malformedInputThrows(_ text: String) {
        #expect(throws: TokenizerError.self) { try parse(text) }
    }
}
