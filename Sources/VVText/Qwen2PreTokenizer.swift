/// The Qwen2 split regex, implemented by hand.
///
/// Equivalent to `tokenizers`' `Split(Regex(P), behavior: Isolated)` with
/// `P = (?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+`
/// under Oniguruma's leftmost-first alternation. Every scalar is a letter, a number, whitespace or "other", and
/// some alternative matches each of them, so the matches tile the text and no gap pieces arise.
enum Qwen2PreTokenizer {
    /// Calls `emit(start, end)` for each piece of `scalars` (scalar indices, end exclusive), in order.
    ///
    /// `classes[i]` must be `UnicodeTables.charClass(scalars[i])`.
    @inline(__always)
    static func split(
        _ scalars: UnsafeBufferPointer<UInt32>, classes: UnsafeBufferPointer<UInt8>, tables: UnicodeTables,
        emit: (Int, Int) -> Void
    ) {
        let letter = UnicodeTables.CharClass.letter.rawValue
        let number = UnicodeTables.CharClass.number.rawValue
        let space = UnicodeTables.CharClass.space.rawValue
        let newline = UnicodeTables.CharClass.newline.rawValue
        let other = UnicodeTables.CharClass.other.rawValue
        let n = scalars.count
        var i = 0
        while i < n {
            let c = classes[i]
            // (?i:'s|'t|'re|'ve|'m|'ll|'d)
            if scalars[i] == 0x27, i + 1 < n, let end = contraction(scalars, at: i, tables: tables) {
                emit(i, end)
                i = end
                continue
            }
            // [^\r\n\p{L}\p{N}]?\p{L}+
            if c == letter || (c != number && c != newline && i + 1 < n && classes[i + 1] == letter) {
                var j = i + 1
                while j < n && classes[j] == letter { j += 1 }
                emit(i, j)
                i = j
                continue
            }
            // \p{N}
            if c == number {
                emit(i, i + 1)
                i += 1
                continue
            }
            // ` ?[^\s\p{L}\p{N}]+[\r\n]*`
            var k = i
            if scalars[i] == 0x20 && i + 1 < n && classes[i + 1] == other { k = i + 1 }
            if classes[k] == other {
                var j = k + 1
                while j < n && classes[j] == other { j += 1 }
                while j < n && classes[j] == newline { j += 1 }
                emit(i, j)
                i = j
                continue
            }
            // Whitespace from here on: find the run and its last CR/LF.
            var j = i
            var lastNewline = -1
            while j < n && (classes[j] == space || classes[j] == newline) {
                if classes[j] == newline { lastNewline = j }
                j += 1
            }
            if lastNewline >= 0 {
                // \s*[\r\n]+ : up to and including the run's last CR/LF.
                emit(i, lastNewline + 1)
                i = lastNewline + 1
            } else if j == n || j - i == 1 {
                // \s+(?!\S) at the end of text, or \s+ for a lone space before non-space.
                emit(i, j)
                i = j
            } else {
                // \s+(?!\S): all but the last whitespace, which then joins the next piece.
                emit(i, j - 1)
                i = j - 1
            }
        }
    }

    /// End index of a contraction starting with the apostrophe at `i`, or nil.
    @inline(__always)
    private static func contraction(_ s: UnsafeBufferPointer<UInt32>, at i: Int, tables: UnicodeTables) -> Int? {
        func fold(_ k: Int) -> UInt8 {
            guard k < s.count else { return 0 }
            let c = s[k]
            if c < 0x80 {
                let b = UInt8(c) | 0x20
                return (b >= 0x61 && b <= 0x7A && (UInt8(c) >= 0x41)) ? b : 0
            }
            return tables.caseFolds[c] ?? 0
        }
        switch fold(i + 1) {
        case UInt8(ascii: "s"), UInt8(ascii: "t"), UInt8(ascii: "m"), UInt8(ascii: "d"):
            return i + 2
        case UInt8(ascii: "r"), UInt8(ascii: "v"):
            return fold(i + 2) == UInt8(ascii: "e") ? i + 3 : nil
        case UInt8(ascii: "l"):
            return fold(i + 2) == UInt8(ascii: "l") ? i + 3 : nil
        default:
            return nil
        }
    }
}
