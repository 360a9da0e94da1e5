/// Splits text that is too long for one generation into pieces that each fit, at sentence boundaries where
/// possible, without losing or reordering a character.
///
/// A piece is a run of whole sentences (a sentence ends after `.`, `!`, `?`, `;` or `…` when whitespace or the end
/// follows, after their full-width CJK forms anywhere, and at a line break). A sentence longer than the budget on its own is split at the
/// last whitespace that fits, and only a run of text with no whitespace at all is cut between characters. Joining
/// the pieces gives back the input exactly.
public enum SentenceChunker {
    /// Characters that end a sentence when followed by whitespace or the end of the text.
    static let terminators: Set<Character> = [".", "!", "?", ";", "…"]
    /// Full-width terminators end a sentence wherever they are (CJK text puts no space after them).
    static let fullWidthTerminators: Set<Character> = ["。", "！", "？", "；"]

    /// The sentences of `text`, each with its trailing whitespace; joined, they are `text`.
    public static func sentences(_ text: String) -> [Substring] {
        var result: [Substring] = []
        var start = text.startIndex
        var i = text.startIndex
        while i < text.endIndex {
            let c = text[i]
            var next = text.index(after: i)
            let endsHere: Bool
            if c.isNewline {
                endsHere = true
            } else if terminators.contains(c) || fullWidthTerminators.contains(c) {
                // Closing quotes and brackets belong to the sentence they close.
                while next < text.endIndex, "\"'”’)]»」』）".contains(text[next]) { next = text.index(after: next) }
                endsHere =
                    fullWidthTerminators.contains(c) || next == text.endIndex || text[next].isWhitespace
            } else {
                endsHere = false
            }
            if endsHere {
                while next < text.endIndex, text[next].isWhitespace { next = text.index(after: next) }
                result.append(text[start..<next])
                start = next
            }
            i = next
        }
        if start < text.endIndex { result.append(text[start...]) }
        return result
    }

    /// Packs the sentences of `text` greedily into pieces whose `cost` is at most `budget`.
    /// - Parameters:
    ///   - budget: the largest cost one piece may have (at least the cost of one character).
    ///   - cost: the cost of a piece (its token count), which must grow with the text.
    public static func chunks(_ text: String, budget: Int, cost: (Substring) -> Int) -> [Substring] {
        guard cost(text[...]) > budget else { return text.isEmpty ? [] : [text[...]] }
        var pieces: [Substring] = []
        var current: Substring?
        for sentence in sentences(text) {
            if let open = current {
                let joined = text[open.startIndex..<sentence.endIndex]
                if cost(joined) <= budget {
                    current = joined
                    continue
                }
                pieces.append(open)
                current = nil
            }
            if cost(sentence) <= budget {
                current = sentence
            } else {
                var parts = split(sentence, budget: budget, cost: cost)
                current = parts.popLast()
                pieces += parts
            }
        }
        if let current { pieces.append(current) }
        return pieces
    }

    /// Splits one over-long sentence at whitespace (else between characters) into pieces within `budget`.
    static func split(_ sentence: Substring, budget: Int, cost: (Substring) -> Int) -> [Substring] {
        var pieces: [Substring] = []
        var rest = sentence
        while !rest.isEmpty, cost(rest) > budget {
            // The longest prefix within budget: binary search over character offsets (cost grows with length).
            var low = 1, high = rest.count
            while low < high {
                let mid = (low + high + 1) / 2
                if cost(rest.prefix(mid)) <= budget { low = mid } else { high = mid - 1 }
            }
            var cut = rest.index(rest.startIndex, offsetBy: low)
            let fits = rest[..<cut]
            if let space = fits.lastIndex(where: \.isWhitespace), space > rest.startIndex {
                cut = rest.index(after: space)
            }
            pieces.append(rest[..<cut])
            rest = rest[cut...]
        }
        if !rest.isEmpty { pieces.append(rest) }
        return pieces
    }
}
