/// Turns token ids, fed one at a time, into text that only ever contains complete UTF-8 characters.
///
/// A token may end in the middle of a multi-byte character (byte-level BPE splits emoji and CJK characters
/// across tokens). The decoder keeps such an unfinished tail until the next ids complete it, and `finish()`
/// flushes whatever is left. The concatenation of everything `push` and `finish` return equals
/// `Qwen2Tokenizer.decode` of all the ids at once, replacement characters included.
public struct StreamingDecoder: Sendable {
    private let tokenizer: Qwen2Tokenizer
    private let skipSpecialTokens: Bool
    private var pending: [UInt8] = []

    init(tokenizer: Qwen2Tokenizer, skipSpecialTokens: Bool) {
        self.tokenizer = tokenizer
        self.skipSpecialTokens = skipSpecialTokens
    }

    /// Feeds one id; returns the text that became complete (often empty).
    public mutating func push(_ id: Int) -> String {
        tokenizer.appendBytes(of: id, skipSpecialTokens: skipSpecialTokens, to: &pending)
        let keep = Self.unfinishedTailLength(pending)
        let ready = pending.count - keep
        guard ready > 0 else { return "" }
        let text = String(decoding: pending[..<ready], as: UTF8.self)
        pending.removeFirst(ready)
        return text
    }

    /// Feeds several ids; returns the text that became complete.
    public mutating func push(contentsOf ids: some Sequence<Int>) -> String {
        var text = ""
        for id in ids { text += push(id) }
        return text
    }

    /// Ends the stream: returns the held bytes decoded, an unfinished character becoming U+FFFD.
    public mutating func finish() -> String {
        defer { pending.removeAll() }
        return String(decoding: pending, as: UTF8.self)
    }

    /// Number of trailing bytes that form a valid but unfinished UTF-8 sequence (0 to 3).
    static func unfinishedTailLength(_ bytes: [UInt8]) -> Int {
        let n = bytes.count
        var back = 1
        while back <= 3 && back <= n {
            let b = bytes[n - back]
            if b & 0xC0 == 0x80 {
                back += 1
                continue
            }
            let needed: Int
            var second: ClosedRange<UInt8> = 0x80...0xBF
            switch b {
            case 0xC2...0xDF: needed = 2
            case 0xE0: needed = 3; second = 0xA0...0xBF
            case 0xED: needed = 3; second = 0x80...0x9F
            case 0xE1...0xEF: needed = 3
            case 0xF0: needed = 4; second = 0x90...0xBF
            case 0xF4: needed = 4; second = 0x80...0x8F
            case 0xF1...0xF3: needed = 4
            default: return 0
            }
            guard needed > back else { return 0 }
            if back >= 2 && !second.contains(bytes[n - back + 1]) { return 0 }
            return back
        }
        return 0
    }
}
