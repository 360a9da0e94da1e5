import Testing

@testable import VVText

@Suite struct StreamingDecoderTests {
    @Test func streamingEqualsOneShotOnFixtures() throws {
        let tokenizer = try Fixtures.tokenizer.get()
        let (encode, decode) = try Fixtures.cases.get()
        let idLists = encode.map(\.ids) + decode.map(\.ids)
        for skip in [false, true] {
            for ids in idLists {
                var stream = tokenizer.makeStreamingDecoder(skipSpecialTokens: skip)
                var text = ""
                for id in ids {
                    let piece = stream.push(id)
                    text += piece
                }
                text += stream.finish()
                #expect(text == tokenizer.decode(ids, skipSpecialTokens: skip), "ids \(ids)")
            }
        }
    }

    @Test func emitsOnlyCompleteCharacters() throws {
        let tokenizer = try Fixtures.tokenizer.get()
        let text = "👨‍👩‍👧‍👦 한국어 😀 日本語 ñ"
        let ids = tokenizer.encode(text)
        var stream = tokenizer.makeStreamingDecoder()
        var pieces: [String] = []
        for id in ids { pieces.append(stream.push(id)) }
        pieces.append(stream.finish())
        #expect(pieces.joined() == text)
        #expect(!pieces.joined().contains("\u{FFFD}"))
        // At least one emoji spans several byte-level tokens, so some pushes must return nothing.
        #expect(pieces.contains(""))
    }

    @Test func unfinishedTailLength() {
        #expect(StreamingDecoder.unfinishedTailLength([0x61]) == 0)
        #expect(StreamingDecoder.unfinishedTailLength([0x61, 0xE2]) == 1)
        #expect(StreamingDecoder.unfinishedTailLength([0xE2, 0x82]) == 2)
        #expect(StreamingDecoder.unfinishedTailLength([0xE2, 0x82, 0xAC]) == 0)
        #expect(StreamingDecoder.unfinishedTailLength([0xF0, 0x9F, 0x98]) == 3)
        #expect(StreamingDecoder.unfinishedTailLength([0xE0, 0x80]) == 0)  // overlong: invalid, not held
        #expect(StreamingDecoder.unfinishedTailLength([0xED, 0xA0]) == 0)  // surrogate: invalid, not held
        #expect(StreamingDecoder.unfinishedTailLength([0x80]) == 0)
        #expect(StreamingDecoder.unfinishedTailLength([0xF5]) == 0)
    }

    @Test func finishFlushesAnUnfinishedCharacter() throws {
        let tokenizer = try Fixtures.tokenizer.get()
        // A character the fixture vocabulary splits into several byte tokens.
        let candidates = ["\u{1F99C}", "\u{2B740}", "\u{10FFFD}", "\u{E0100}"]
        let ids = try #require(candidates.map { tokenizer.encode($0) }.first { $0.count > 1 })
        var stream = tokenizer.makeStreamingDecoder()
        var text = ""
        for id in ids.dropLast() { text += stream.push(id) }
        #expect(text.isEmpty)
        #expect(stream.finish() == "\u{FFFD}")
    }
}
