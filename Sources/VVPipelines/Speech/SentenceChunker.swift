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
    ///
    /// Each sentence is costed once and pieces are packed by the sum of their sentences' costs, so long texts take
    /// linear time; each piece is then costed whole once, and the rare piece whose whole cost exceeds the sum
    /// (tokens merging across a sentence boundary) is re-packed exactly.
    /// - Parameters:
    ///   - budget: the largest cost one piece may have (at least the cost of one character).
    ///   - cost: the cost of a piece (its token count), which must grow with the text.
    public static func chunks(_ text: String, budget: Int, cost: (Substring) -> Int) -> [Substring] {
        guard cost(text[...]) > budget else { return text.isEmpty ? [] : [text[...]] }
        var units: [(text: Substring, cost: Int)] = []
        for sentence in sentences(text) {
            let c = cost(sentence)
            if c <= budget {
                units.append((sentence, c))
            } else {
                units += split(sentence, budget: budget, cost: cost).map { ($0, cost($0)) }
            }
        }
        var pieces: [Substring] = []
        var start = 0
        while start < units.count {
            var end = start + 1, total = units[start].cost
            while end < units.count, total + units[end].cost <= budget {
                total += units[end].cost
                end += 1
            }
            let piece = text[units[start].text.startIndex..<units[end - 1].text.endIndex]
            if end - start == 1 || cost(piece) <= budget {
                pieces.append(piece)
            } else {
                pieces += exactPacking(units[start..<end].map(\.text), text: text, budget: budget, cost: cost)
            }
            start = end
        }
        return pieces
    }

    /// Greedy packing that costs every candidate piece whole (quadratic; only for the few sentences of one piece).
    static func exactPacking(
        _ units: [Substring], text: String, budget: Int, cost: (Substring) -> Int
    ) -> [Substring] {
        var pieces: [Substring] = []
        var open: Substring?
        for unit in units {
            if let current = open {
                let joined = text[current.startIndex..<unit.endIndex]
                if cost(joined) <= budget {
                    open = joined
                    continue
                }
                pieces.append(current)
            }
            open = unit
        }
        if let open { pieces.append(open) }
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
