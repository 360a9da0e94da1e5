/// Unicode Normalization Form C exactly as Hugging Face `tokenizers` 0.21.4 computes it.
///
/// Standard algorithm (UAX #15): full canonical decomposition, canonical ordering by combining class, then
/// canonical composition, with Hangul handled algorithmically. The data come from `UnicodeTables`, which were
/// measured from `tokenizers`, so results follow its Unicode version rather than Swift's or Foundation's (both
/// differ: newer marks are reordered there, and Foundation also misorders e.g. U+0F73 after another mark).
public enum NFCNormalizer {
    private static let sBase: UInt32 = 0xAC00, lBase: UInt32 = 0x1100, vBase: UInt32 = 0x1161, tBase: UInt32 = 0x11A7
    private static let lCount: UInt32 = 19, vCount: UInt32 = 21, tCount: UInt32 = 28
    private static let nCount: UInt32 = vCount * tCount, sCount: UInt32 = lCount * nCount

    /// Returns the NFC form of `text`.
    public static func normalize(_ text: String) -> String {
        let scalars = text.unicodeScalars.map(\.value)
        var out = String.UnicodeScalarView()
        for c in normalize(scalars) {
            if let s = Unicode.Scalar(c) { out.append(s) }
        }
        return String(out)
    }

    /// Whether `scalars` are certainly unchanged by NFC (a fast check with no false positives).
    @inline(__always)
    static func isInert(_ scalars: UnsafeBufferPointer<UInt32>, tables: UnicodeTables) -> Bool {
        for c in scalars where tables.isNFCUnsafe(c) { return false }
        return true
    }

    /// Returns the NFC form of a sequence of scalar values.
    static func normalize(_ scalars: [UInt32], tables: UnicodeTables = .shared) -> [UInt32] {
        var buf: [UInt32] = []
        buf.reserveCapacity(scalars.count + 8)
        for c in scalars { decompose(c, into: &buf, tables: tables) }
        reorder(&buf, tables: tables)
        compose(&buf, tables: tables)
        return buf
    }

    private static func decompose(_ c: UInt32, into buf: inout [UInt32], tables: UnicodeTables) {
        if c >= sBase && c < sBase + sCount {
            let s = c - sBase
            buf.append(lBase + s / nCount)
            buf.append(vBase + (s % nCount) / tCount)
            if s % tCount != 0 { buf.append(tBase + s % tCount) }
        } else if let d = tables.decomposition[c] {
            buf.append(contentsOf: d)
        } else {
            buf.append(c)
        }
    }

    /// Stable sort of every run of non-starters by combining class.
    private static func reorder(_ buf: inout [UInt32], tables: UnicodeTables) {
        var i = 0
        while i < buf.count {
            guard let first = tables.combiningClass[buf[i]], first != 0 else {
                i += 1
                continue
            }
            var j = i + 1
            while j < buf.count, let v = tables.combiningClass[buf[j]], v != 0 { j += 1 }
            if j - i > 1 {
                // Insertion sort keeps equal classes in order; runs are short.
                for k in (i + 1)..<j {
                    let item = buf[k]
                    let cls = tables.combiningClass[item] ?? 0
                    var m = k
                    while m > i, (tables.combiningClass[buf[m - 1]] ?? 0) > cls {
                        buf[m] = buf[m - 1]
                        m -= 1
                    }
                    buf[m] = item
                }
            }
            i = j
        }
    }

    /// Canonical composition in place.
    private static func compose(_ buf: inout [UInt32], tables: UnicodeTables) {
        guard !buf.isEmpty else { return }
        var out = 0
        var starter = -1
        var lastClass: Int = -1
        for i in 0..<buf.count {
            let c = buf[i]
            let cls = Int(tables.combiningClass[c] ?? 0)
            if starter >= 0 {
                let s = buf[starter]
                // Hangul LV and LV+T compose only when adjacent.
                if out == starter + 1 {
                    if s >= lBase && s < lBase + lCount && c >= vBase && c < vBase + vCount {
                        buf[starter] = sBase + ((s - lBase) * vCount + (c - vBase)) * tCount
                        continue
                    }
                    if s >= sBase && s < sBase + sCount && (s - sBase) % tCount == 0 && c > tBase && c < tBase + tCount
                    {
                        buf[starter] = s + (c - tBase)
                        continue
                    }
                }
                let blocked = out != starter + 1 && (lastClass == 0 || lastClass >= cls)
                if !blocked, let p = tables.composition[UInt64(s) << 32 | UInt64(c)] {
                    buf[starter] = p
                    continue
                }
            }
            if cls == 0 {
                starter = out
                lastClass = -1
            } else {
                lastClass = cls
            }
            buf[out] = c
            out += 1
        }
        buf.removeLast(buf.count - out)
    }
}
