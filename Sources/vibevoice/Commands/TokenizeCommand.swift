import ArgumentParser
import Foundation
import VVText

/// `vibevoice tokenize`: text lines on stdin → token ids on stdout (or the reverse with `--decode`).
struct Tokenize: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tokenize",
        abstract: "Encode stdin lines to space-separated token ids, or decode id lines with --decode.",
        discussion: """
            Each input line is encoded on its own (the newline is not part of it) and printed as one line of ids.
            With --decode, each input line of space-separated ids is decoded and printed as one line of text.
            Ids match Hugging Face `tokenizers` for the same tokenizer.json.
            """)

    /// Path of the Hugging Face `tokenizer.json`.
    @Option(name: .long, help: "Path of the tokenizer.json file.")
    var tokenizer: String

    /// Decode id lines instead of encoding text lines.
    @Flag(name: .long, help: "Read lines of space-separated ids and print their text.")
    var decode = false

    /// Drop special tokens when decoding.
    @Flag(name: .long, help: "With --decode, leave special tokens out of the text.")
    var skipSpecialTokens = false

    func run() async throws {
        let tok = try Qwen2Tokenizer(contentsOf: URL(fileURLWithPath: tokenizer))
        var lineNumber = 0
        while let line = readLine(strippingNewline: true) {
            lineNumber += 1
            if decode {
                var ids: [Int] = []
                for field in line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "," }) {
                    guard let id = Int(field) else {
                        throw ValidationError("line \(lineNumber): \"\(field)\" is not a token id")
                    }
                    ids.append(id)
                }
                print(tok.decode(ids, skipSpecialTokens: skipSpecialTokens))
            } else {
                print(tok.encode(line).map(String.init).joined(separator: " "))
            }
        }
    }
}
