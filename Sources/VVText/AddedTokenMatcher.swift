/// Finds added tokens in text by literal byte match, leftmost-longest (like `tokenizers`' Aho-Corasick use).
struct AddedTokenMatcher: Sendable {
    /// Trie node: sorted child bytes and node indices, plus the id of the token ending here.
    private struct Node: Sendable {
        var bytes: [UInt8] = []
        var children: [Int32] = []
        var tokenID: Int32 = -1
    }

    private var nodes: [Node] = [Node()]
    /// Whether some token starts with each byte value.
    private var firstByte = [Bool](repeating: false, count: 256)

    /// Whether no token was added.
    var isEmpty: Bool { nodes.count == 1 }

    /// Builds a matcher for `(content, id)` pairs; empty contents are ignored.
    init(_ tokens: [(TokenKey, Int)]) {
        for (content, id) in tokens where !content.bytes.isEmpty {
            var node = 0
            for b in content.bytes {
                if let k = nodes[node].bytes.firstIndex(of: b) {
                    node = Int(nodes[node].children[k])
                } else {
                    nodes.append(Node())
                    let child = nodes.count - 1
                    nodes[node].bytes.append(b)
                    nodes[node].children.append(Int32(child))
                    node = child
                }
            }
            // Same content twice: tokenizers keeps the first id registered.
            if nodes[node].tokenID < 0 { nodes[node].tokenID = Int32(id) }
            if let b = content.bytes.first { firstByte[Int(b)] = true }
        }
    }

    /// Splits UTF-8 `text` into runs of text and added tokens.
    ///
    /// Calls `onText(start, end)` for text between tokens and `onToken(id)` for each token, in order. Empty text
    /// runs are not reported.
    func split(_ text: UnsafeBufferPointer<UInt8>, onText: (Int, Int) -> Void, onToken: (Int32) -> Void) {
        var textStart = 0
        var i = 0
        let n = text.count
        while i < n {
            guard firstByte[Int(text[i])] else {
                i += 1
                continue
            }
            var node = 0
            var j = i
            var matchEnd = -1
            var matchID: Int32 = -1
            while j < n, let k = nodes[node].bytes.firstIndex(of: text[j]) {
                node = Int(nodes[node].children[k])
                j += 1
                if nodes[node].tokenID >= 0 {
                    matchEnd = j
                    matchID = nodes[node].tokenID
                }
            }
            if matchEnd < 0 {
                i += 1
                continue
            }
            if textStart < i { onText(textStart, i) }
            onToken(matchID)
            i = matchEnd
            textStart = i
        }
        if textStart < n { onText(textStart, n) }
    }
}
