import Foundation
import Testing

@testable import VVText

/// Loads the committed fixtures made by `tools/fixtures/make_tokenizer_fixtures.py`.
enum Fixtures {
    /// URL of a fixture file.
    static func url(_ name: String) throws -> URL {
        try #require(Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures"))
    }

    /// The trained Qwen2-style tokenizer, loaded once.
    static let tokenizer: Result<Qwen2Tokenizer, any Error> = Result {
        try Qwen2Tokenizer(contentsOf: try url("tokenizer.json"))
    }

    /// One encode case: text, reference ids, reference decodes.
    struct EncodeCase: Sendable {
        let text: String
        let ids: [Int]
        let decoded: String
        let decodedSkippingSpecial: String
    }

    /// One decode case: ids (some out of range) and reference decodes.
    struct DecodeCase: Sendable {
        let ids: [Int]
        let decoded: String
        let decodedSkippingSpecial: String
    }

    /// All cases of tokenizer_cases.json.
    ///
    /// Read with `JSONDecoder`: `JSONSerialization` on Linux drops some U+FEFF characters inside strings.
    static let cases: Result<(encode: [EncodeCase], decode: [DecodeCase]), any Error> = Result {
        let data = try Data(contentsOf: try url("tokenizer_cases.json"))
        let file = try JSONDecoder().decode(CasesFile.self, from: data)
        return (file.cases.map(\.value), file.decodeCases.map(\.value))
    }

    private struct CasesFile: Decodable {
        let cases: [RawEncodeCase]
        let decodeCases: [RawDecodeCase]
        enum CodingKeys: String, CodingKey {
            case cases
            case decodeCases = "decode_cases"
        }
    }

    /// `[text, ids, decoded|null, decoded_skip_special|null]`.
    private struct RawEncodeCase: Decodable {
        let value: EncodeCase
        init(from decoder: any Decoder) throws {
            var c = try decoder.unkeyedContainer()
            let text = try c.decode(String.self)
            let ids = try c.decode([Int].self)
            let decoded = try c.decodeNil() ? text : try c.decode(String.self)
            let skipped = try c.decodeNil() ? decoded : try c.decode(String.self)
            value = EncodeCase(text: text, ids: ids, decoded: decoded, decodedSkippingSpecial: skipped)
        }
    }

    /// `[ids, decoded, decoded_skip_special]`.
    private struct RawDecodeCase: Decodable {
        let value: DecodeCase
        init(from decoder: any Decoder) throws {
            var c = try decoder.unkeyedContainer()
            value = DecodeCase(
                ids: try c.decode([Int].self), decoded: try c.decode(String.self),
                decodedSkippingSpecial: try c.decode(String.self))
        }
    }
}

/// Escapes a string so differences in invisible characters show in failure messages.
func visible(_ s: String) -> String {
    s.unicodeScalars.map {
        $0.isASCII && $0.value >= 0x20 && $0.value < 0x7F ? String($0) : "\\u{\(String($0.value, radix: 16))}"
    }
    .joined()
}
