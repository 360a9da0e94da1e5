import PropertyBased
import Testing

@testable import VVText

@Suite struct PropertyTests {
    /// Arbitrary scalars from all planes (surrogates excluded), biased towards the interesting ranges.
    static let scalar = Gen<UnicodeScalar>.frequency(
        (3, Gen.unicodeScalar(in: "\u{0}"..."\u{7F}")),
        (2, Gen.unicodeScalar(in: "\u{80}"..."\u{36F}")),
        (2, Gen.unicodeScalar(in: "\u{370}"..."\u{D7FF}")),
        (1, Gen.unicodeScalar(in: "\u{E000}"..."\u{FFFF}")),
        (1, Gen.unicodeScalar(in: "\u{10000}"..."\u{10FFFF}"))
    )

    static let text = scalar.array(of: 0...40).map { scalars in
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars)
        return String(view)
    }

    @Test func decodeOfEncodeIsNFC() async throws {
        let tokenizer = try Fixtures.tokenizer.get()
        await propertyCheck(count: 2000, input: Self.text) { s in
            let ids = tokenizer.encode(s)
            #expect(tokenizer.decode(ids).unicodeScalars.elementsEqual(NFCNormalizer.normalize(s).unicodeScalars))
        }
    }

    @Test func streamingDecodeOfEncodeIsNFC() async throws {
        let tokenizer = try Fixtures.tokenizer.get()
        await propertyCheck(count: 500, input: Self.text) { s in
            var stream = tokenizer.makeStreamingDecoder()
            var out = ""
            for id in tokenizer.encode(s) { out += stream.push(id) }
            out += stream.finish()
            #expect(out.unicodeScalars.elementsEqual(NFCNormalizer.normalize(s).unicodeScalars))
        }
    }
}
