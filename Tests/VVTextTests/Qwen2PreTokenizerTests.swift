import Testing

@testable import VVText

@Suite struct Qwen2PreTokenizerTests {
    /// Pieces as Hugging Face `tokenizers` splits them with the Qwen2 regex (pre_tokenize_str output).
    static let reference: [(String, [String])] = [
        ("Hello world", ["Hello", " world"]),
        ("a   b", ["a", "  ", " b"]),
        ("a \n b", ["a", " \n", " b"]),
        ("I'LL don'\u{17F} it's", ["I", "'LL", " don", "'\u{17F}", " it", "'s"]),
        ("x  ", ["x", "  "]),
        ("123abc", ["1", "2", "3", "abc"]),
        ("  !!!\n\nx", [" ", " !!!\n\n", "x"]),
        ("\r\n\r\n  \t", ["\r\n\r\n", "  \t"]),
        ("\u{E9}한국어 你好!", ["\u{E9}한국어", " 你好", "!"]),
        ("'''s", ["'''", "s"]),
        ("\u{3000}\u{3000}x", ["\u{3000}", "\u{3000}x"]),
    ]

    @Test(arguments: reference.indices)
    func splitsLikeTokenizers(_ index: Int) {
        let (text, want) = Self.reference[index]
        let scalars = text.unicodeScalars.map(\.value)
        let tables = UnicodeTables.shared
        let classes = scalars.map { tables.charClass($0) }
        var pieces: [String] = []
        scalars.withUnsafeBufferPointer { s in
            classes.withUnsafeBufferPointer { c in
                Qwen2PreTokenizer.split(s, classes: c, tables: tables) { start, end in
                    var view = String.UnicodeScalarView()
                    for v in s[start..<end] { view.append(Unicode.Scalar(v)!) }
                    pieces.append(String(view))
                }
            }
        }
        #expect(pieces == want)
    }
}
