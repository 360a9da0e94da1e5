/// Byte-pattern search used by the multipart parser.
enum ByteSearch {
    /// The first index where `needle` occurs in `haystack`.
    static func firstIndex(of needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard let first = needle.first, haystack.count >= needle.count else { return nil }
        let last = haystack.count - needle.count
        return haystack.withUnsafeBufferPointer { h -> Int? in
            needle.withUnsafeBufferPointer { n -> Int? in
                var i = 0
                while i <= last {
                    if h[i] == first {
                        var j = 1
                        while j < n.count && h[i + j] == n[j] { j += 1 }
                        if j == n.count { return i }
                    }
                    i += 1
                }
                return nil
            }
        }
    }

    /// The end of a part's header block: CRLFCRLF (or LFLF from lenient clients). `headerBytes` excludes the blank
    /// line; `consumed` includes it. An empty header block (blank line at once) is allowed.
    static func headerEnd(in buffer: [UInt8]) -> (headerBytes: Int, consumed: Int)? {
        if buffer.starts(with: [0x0D, 0x0A]) { return (0, 2) }
        if buffer.first == 0x0A { return (0, 1) }
        var i = 0
        while i + 1 < buffer.count {
            if buffer[i] == 0x0A {
                if buffer[i + 1] == 0x0A { return (i, i + 2) }
                if buffer[i + 1] == 0x0D && i + 2 < buffer.count && buffer[i + 2] == 0x0A { return (i, i + 3) }
            }
            i += 1
        }
        return nil
    }
}
