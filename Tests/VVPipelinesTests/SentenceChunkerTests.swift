import Foundation
import Testing
import VVPipelines

/// Long text is split at sentence boundaries into pieces within a budget, losing nothing.
struct SentenceChunkerTests {
    /// Cost = characters (any cost that grows with the text works).
    static func length(_ s: Substring) -> Int { s.count }

    @Test func sentencesKeepEveryCharacter() {
        let text = "Hello there. How are you?  Fine!\nNew line… \"Quoted.\" Last one without end"
        let parts = SentenceChunker.sentences(text)
        #expect(parts.joined() == text)
        #expect(
            parts.map(String.init) == [
                "Hello there. ", "How are you?  ", "Fine!\n", "New line… ", "\"Quoted.\" ", "Last one without end",
            ])
    }

    @Test func decimalsAndAbbreviationsWithoutSpaceDoNotEndASentence() {
        #expect(SentenceChunker.sentences("Pi is 3.14 today.").count == 1)
        #expect(SentenceChunker.sentences("中文句子。第二句！").map(String.init) == ["中文句子。", "第二句！"])
    }

    @Test func shortTextIsOnePiece() {
        let text = "One. Two. Three."
        #expect(SentenceChunker.chunks(text, budget: 100, cost: Self.length) == [text[...]])
        #expect(SentenceChunker.chunks("", budget: 10, cost: Self.length).isEmpty)
    }

    @Test func packsWholeSentencesUpToTheBudget() {
        let text = "Aaaa aaaa. Bbbb bbbb. Cccc cccc. Dddd dddd."
        let pieces = SentenceChunker.chunks(text, budget: 22, cost: Self.length)
        #expect(pieces.map(String.init) == ["Aaaa aaaa. Bbbb bbbb. ", "Cccc cccc. Dddd dddd."])
    }

    @Test func overlongSentenceSplitsAtWhitespaceThenCharacters() {
        let text = "Short. " + "word " + String(repeating: "x", count: 25) + " tail."
        let pieces = SentenceChunker.chunks(text, budget: 10, cost: Self.length)
        #expect(pieces.joined() == text)
        #expect(pieces.allSatisfy { $0.count <= 10 })
        #expect(pieces.first.map(String.init) == "Short. ")
        #expect(pieces.contains { $0 == "word " }, "cut after the whitespace, not inside the word")
    }

    /// Random texts and budgets: the pieces always rebuild the text and each fits, except when one character
    /// alone exceeds the budget.
    @Test func randomTextsRoundTrip() {
        var rng = SystemRandomNumberGenerator()
        let alphabet = Array("abc de. fg! hi?\nj…k。 ")
        for _ in 0..<300 {
            let text = String((0..<Int.random(in: 0...120, using: &rng)).map { _ in alphabet.randomElement(using: &rng)! })
            let budget = Int.random(in: 1...40, using: &rng)
            let pieces = SentenceChunker.chunks(text, budget: budget, cost: Self.length)
            #expect(pieces.joined() == text, "\(text.debugDescription) budget \(budget)")
            #expect(pieces.allSatisfy { $0.count <= budget }, "\(text.debugDescription) budget \(budget)")
        }
    }

    /// A cost where joining sentences costs more than the parts (as tokens merging across a boundary would): the
    /// packing by summed costs is checked against the whole piece's cost and re-packed when over.
    @Test func piecesDearerThanTheirSentencesAreRepacked() {
        let text = "Aa. Bb. Cc. Dd. Ee. Ff. Gg."
        // Each sentence boundary inside a piece costs 4 extra.
        func cost(_ s: Substring) -> Int {
            s.count + 4 * max(0, s.trimmingCharacters(in: .whitespaces).split(separator: ".").count - 1)
        }
        let pieces = SentenceChunker.chunks(text, budget: 12, cost: cost)
        #expect(pieces.joined() == text)
        #expect(pieces.allSatisfy { cost($0) <= 12 }, "\(pieces.map { ($0, cost($0)) })")
    }
}
