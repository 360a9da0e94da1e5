import Foundation
import Testing

@testable import VVText

@Suite struct Qwen2TokenizerTests {
    @Test func encodeMatchesTokenizersOnEveryFixtureLine() throws {
        let tokenizer = try Fixtures.tokenizer.get()
        let cases = try Fixtures.cases.get().encode
        #expect(cases.count >= 20_000)
        var mismatches = 0
        for c in cases {
            let ids = tokenizer.encode(c.text)
            if ids != c.ids {
                mismatches += 1
                if mismatches <= 10 {
                    Issue.record("ids differ for \"\(visible(c.text))\": got \(ids), want \(c.ids)")
                }
            }
        }
        #expect(mismatches == 0, "\(mismatches) of \(cases.count) lines differ")
    }

    @Test func decodeMatchesTokenizersAndRoundTrips() throws {
        let tokenizer = try Fixtures.tokenizer.get()
        var failures = 0
        for c in try Fixtures.cases.get().encode {
            let decoded = tokenizer.decode(c.ids)
            let skipped = tokenizer.decode(c.ids, skipSpecialTokens: true)
            if decoded != c.decoded || skipped != c.decodedSkippingSpecial {
                failures += 1
                if failures <= 10 { Issue.record("decode differs for \(c.ids): \"\(visible(decoded))\"") }
            }
            // Round trip: decoding the ids gives back the NFC text (the reference says so wherever the text
            // has no added token with characters outside the byte alphabet).
            if !c.text.contains("<|länge|>") {
                #expect(decoded == NFCNormalizer.normalize(c.text))
            }
        }
        #expect(failures == 0)
    }

    @Test func decodeOfRandomIDsMatchesTokenizers() throws {
        let tokenizer = try Fixtures.tokenizer.get()
        for c in try Fixtures.cases.get().decode {
            #expect(tokenizer.decode(c.ids) == c.decoded, "ids \(c.ids)")
            #expect(tokenizer.decode(c.ids, skipSpecialTokens: true) == c.decodedSkippingSpecial, "ids \(c.ids)")
        }
    }

    @Test func stringMergesGiveTheSameTokenizer() throws {
        // Older tokenizer.json files write merges as "a b"; convert the fixture and compare.
        let data = try Data(contentsOf: try Fixtures.url("tokenizer.json"))
        var root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        var model = try #require(root["model"] as? [String: Any])
        let pairs = try #require(model["merges"] as? [[String]])
        #expect(!pairs.isEmpty)
        model["merges"] = pairs.map { $0.joined(separator: " ") }
        root["model"] = model
        let converted = try Qwen2Tokenizer(data: try JSONSerialization.data(withJSONObject: root))
        let tokenizer = try Fixtures.tokenizer.get()
        for c in try Fixtures.cases.get().encode.prefix(2000) {
            #expect(converted.encode(c.text) == tokenizer.encode(c.text))
        }
    }

    @Test func specialTokensByName() throws {
        let tokenizer = try Fixtures.tokenizer.get()
        // Ids as assigned in the fixture's tokenizer.json (endoftext inside the vocabulary, others appended).
        #expect(try tokenizer.id(of: .endOfText) == 0)
        #expect(try tokenizer.id(of: .imStart) == 6000)
        #expect(try tokenizer.id(of: .videoPad) == 6012)
        let tts = try TTSSpecialTokens(tokenizer: tokenizer)
        #expect(
            [Int]([tts.speechStart, tts.speechEnd, tts.speechDiffusion, tts.pad, tts.endOfText]) == [
                6008, 6009, 6010, 6011, 0,
            ])
        let asr = try ASRSpecialTokens(tokenizer: tokenizer)
        #expect(
            [Int]([asr.speechStart, asr.speechEnd, asr.speechPad, asr.pad, asr.endOfText]) == [
                6002, 6003, 6004, 6011, 0,
            ])
        #expect(tokenizer.isSpecial(6004) && !tokenizer.isSpecial(6013))
        // Special tokens are matched literally and never merge into BPE pieces.
        #expect(tokenizer.encode("<|box_start|><|box_start|><|box_start|>") == [6004, 6004, 6004])
        #expect(tokenizer.decode([6002, 6004, 6003], skipSpecialTokens: true).isEmpty)
    }

    @Test func unsupportedFeaturesAreRefused() throws {
        let data = try Data(contentsOf: try Fixtures.url("tokenizer.json"))
        let root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        func load(_ edit: (inout [String: Any]) -> Void) throws {
            var copy = root
            edit(&copy)
            _ = try Qwen2Tokenizer(data: try JSONSerialization.data(withJSONObject: copy))
        }
        func refused(_ component: String, _ edit: (inout [String: Any]) -> Void) {
            do {
                try load(edit)
                Issue.record("\(component) edit was accepted")
            } catch let TokenizerError.unsupportedFeature(c, _) {
                #expect(c == component)
            } catch {
                Issue.record("unexpected error \(error)")
            }
        }
        refused("normalizer") { $0["normalizer"] = ["type": "NFKC"] }
        refused("pre_tokenizer") {
            $0["pre_tokenizer"] = ["type": "ByteLevel", "add_prefix_space": false, "use_regex": true]
        }
        refused("pre_tokenizer") { r in
            var p = r["pre_tokenizer"] as? [String: Any] ?? [:]
            var steps = p["pretokenizers"] as? [[String: Any]] ?? []
            steps[0]["pattern"] = ["Regex": "\\s+|\\w+"]
            p["pretokenizers"] = steps
            r["pre_tokenizer"] = p
        }
        refused("decoder") { $0["decoder"] = ["type": "WordPiece"] }
        refused("post_processor") { $0["post_processor"] = ["type": "TemplateProcessing"] }
        refused("truncation") { $0["truncation"] = ["max_length": 8] }
        refused("model") { r in
            var m = r["model"] as? [String: Any] ?? [:]
            m["byte_fallback"] = true
            r["model"] = m
        }
        refused("model") { r in
            var m = r["model"] as? [String: Any] ?? [:]
            m["dropout"] = 0.1
            r["model"] = m
        }
        refused("added_tokens") { r in
            var tokens = r["added_tokens"] as? [[String: Any]] ?? []
            tokens[0]["lstrip"] = true
            r["added_tokens"] = tokens
        }
        #expect(throws: TokenizerError.self) {
            try load { r in
                var m = r["model"] as? [String: Any] ?? [:]
                m["merges"] = [["not-in-vocab", "x"]]
                r["model"] = m
            }
        }
        #expect(throws: TokenizerError.self) { _ = try Qwen2Tokenizer(data: Data("{".utf8)) }
    }

    @Test func knownPieces() throws {
        // Expected ids are the reference `tokenizers` output for the fixture tokenizer.
        let tokenizer = try Fixtures.tokenizer.get()
        #expect(tokenizer.encode("<|länge|>") == [6015])
        #expect(tokenizer.encode("a<\u{212B}ngstr\u{F6}m>b") == [65, 6016, 66])
        #expect(tokenizer.encode("x<\u{C5}ngstr\u{F6}m>") == [88, 6016])
        #expect(tokenizer.encode("hi <|im_start|> ok") == [72, 73, 221, 6000, 279, 75])
        #expect(tokenizer.decode([6015]) == "<|l\u{FFFD}nge|>")
        #expect(tokenizer.encode("").isEmpty)
    }

    @Test func addedTokenIDsAreAssignedLikeTokenizers() throws {
        // tokenizers ignores the ids written in added_tokens and assigns them itself; duplicates are dropped and a
        // token already in the vocabulary keeps its vocabulary id. Expected values: tokenizers 0.21.4 on this edit.
        let data = try Data(contentsOf: try Fixtures.url("tokenizer.json"))
        var root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        var added = try #require(root["added_tokens"] as? [[String: Any]])
        for i in added.indices { added[i]["id"] = 9000 + 3 * i }
        added.insert(added[2], at: 3)
        added.append([
            "id": 1, "content": "ab", "single_word": false, "lstrip": false, "rstrip": false, "normalized": false,
            "special": true,
        ])
        root["added_tokens"] = added
        let tokenizer = try Qwen2Tokenizer(data: try JSONSerialization.data(withJSONObject: root))
        let ids = try added.map { try #require($0["content"] as? String) }.map { tokenizer.id(forToken: $0) }
        #expect(
            ids == [
                0, 6000, 6001, 6001, 6002, 6003, 6004, 6005, 6006, 6007, 6008, 6009, 6010, 6011, 6012, 6013,
                6014, 6015, 6016, 1325,
            ])
        #expect(tokenizer.encode("x<|im_start|>ab<|video_pad|>") == [88, 6000, 1325, 6012])
        #expect(tokenizer.decode([88, 6000, 1325], skipSpecialTokens: true) == "x")
    }

    @Test func canonicallyEquivalentAddedTokensStayApart() throws {
        // tokenizers compares token strings byte by byte: "[Å]" with U+212B and with U+00C5 are two tokens, and
        // "[A\u{30A}]" is neither (it is normalised and BPE-encoded). Expected ids: tokenizers 0.21.4.
        let data = try Data(contentsOf: try Fixtures.url("tokenizer.json"))
        var root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        var added = try #require(root["added_tokens"] as? [[String: Any]])
        added.removeAll { ($0["normalized"] as? Bool) == true }
        for content in ["[\u{212B}]", "[\u{C5}]"] {
            added.append([
                "id": 0, "content": content, "single_word": false, "lstrip": false, "rstrip": false,
                "normalized": false, "special": false,
            ])
        }
        root["added_tokens"] = added
        let tokenizer = try Qwen2Tokenizer(data: try JSONSerialization.data(withJSONObject: root))
        #expect(tokenizer.id(forToken: "[\u{212B}]") == 6016)
        #expect(tokenizer.id(forToken: "[\u{C5}]") == 6017)
        #expect(tokenizer.encode("x[\u{212B}][\u{C5}][A\u{30A}]") == [88, 6016, 6017, 59, 575, 61])
    }

    @Test func concurrentEncodingEqualsSerial() async throws {
        let tokenizer = try Fixtures.tokenizer.get()
        let cases = Array(try Fixtures.cases.get().encode.prefix(4000))
        let results = await withTaskGroup(of: (Int, [Int]).self) { group in
            for worker in 0..<4 {
                group.addTask {
                    var mismatches = 0
                    for (i, c) in cases.enumerated() where i % 4 == worker && tokenizer.encode(c.text) != c.ids {
                        mismatches += 1
                    }
                    return (worker, [mismatches])
                }
            }
            var all: [Int] = []
            for await (_, m) in group { all += m }
            return all
        }
        #expect(results == [0, 0, 0, 0])
    }

    @Test func ignoreMergesTakesWholePiecesFromTheVocabulary() throws {
        // Rename the last merge's token to a piece BPE cannot build, then compare with and without
        // `ignore_merges`. Expected ids: tokenizers 0.21.4 on the same edit.
        let data = try Data(contentsOf: try Fixtures.url("tokenizer.json"))
        var root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        var model = try #require(root["model"] as? [String: Any])
        var merges = try #require(model["merges"] as? [[String]])
        var vocab = try #require(model["vocab"] as? [String: Int])
        let last = merges.removeLast()
        let removed = vocab.removeValue(forKey: last.joined())
        let id = try #require(removed)
        #expect(id == 5999)
        vocab["\u{120}zqxj"] = id
        model["merges"] = merges
        model["vocab"] = vocab
        for (ignore, want) in [
            (false, [65, 502, 81, 88, 74, 502, 81, 88, 74, 83]), (true, [65, 5999, 502, 81, 88, 74, 83]),
        ] {
            model["ignore_merges"] = ignore
            root["model"] = model
            let tokenizer = try Qwen2Tokenizer(data: try JSONSerialization.data(withJSONObject: root))
            #expect(tokenizer.encode("a zqxj zqxjs") == want, "ignore_merges \(ignore)")
        }
    }

    @Test func bytesMissingFromTheVocabularyAreDroppedOrUnknown() throws {
        // Take byte 0's token out of the vocabulary; expected ids: tokenizers 0.21.4 on the same edit.
        let data = try Data(contentsOf: try Fixtures.url("tokenizer.json"))
        var root = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        var model = try #require(root["model"] as? [String: Any])
        var vocab = try #require(model["vocab"] as? [String: Int])
        let removed = vocab.removeValue(forKey: "\u{100}")
        vocab["unused-189"] = try #require(removed)
        model["vocab"] = vocab
        let cases: [(String?, Bool, [Int], [Int])] = [
            (nil, false, [65, 66], []),
            ("<|endoftext|>", false, [65, 0, 0, 66, 0], [0]),
            ("<|endoftext|>", true, [65, 0, 66, 0], [0]),
        ]
        for (unk, fuse, want, wantSingle) in cases {
            model["unk_token"] = unk ?? NSNull()
            model["fuse_unk"] = fuse
            root["model"] = model
            let tokenizer = try Qwen2Tokenizer(data: try JSONSerialization.data(withJSONObject: root))
            #expect(tokenizer.encode("a\u{0}\u{0}b\u{0}") == want, "unk \(unk ?? "nil") fuse \(fuse)")
            #expect(tokenizer.encode("\u{0}") == wantSingle)
        }
    }
}
