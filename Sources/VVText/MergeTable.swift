/// Open-addressing hash table from a token pair to its merge, faster than `Dictionary` for this hot lookup.
///
/// Keys are `left << 32 | right` (ids are below 2³¹, so the all-ones key never occurs and marks empty slots);
/// values are `rank << 32 | mergedID`. Lookups of absent pairs return `UInt64.max`, which also sorts after every
/// real rank.
struct MergeTable: Sendable {
    private var keys: [UInt64]
    private var values: [UInt64]
    private let mask: Int
    private let shift: UInt64

    /// Creates a table with room for `count` entries at most half full.
    init(capacity count: Int) {
        var size = 16
        var bits: UInt64 = 4
        while size < count * 2 {
            size <<= 1
            bits += 1
        }
        keys = [UInt64](repeating: .max, count: size)
        values = [UInt64](repeating: .max, count: size)
        mask = size - 1
        shift = 64 - bits
    }

    @inline(__always)
    private func slot(_ key: UInt64) -> Int {
        Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift)
    }

    /// Sets the value of `key`, replacing an earlier one (a later duplicate merge line wins, as in tokenizers).
    mutating func set(_ key: UInt64, _ value: UInt64) {
        var i = slot(key)
        while keys[i] != .max && keys[i] != key { i = (i + 1) & mask }
        keys[i] = key
        values[i] = value
    }

    /// The value of pair `(left, right)`, or `UInt64.max`.
    @inline(__always)
    func get(_ left: Int32, _ right: Int32) -> UInt64 {
        let key = UInt64(UInt32(bitPattern: left)) << 32 | UInt64(UInt32(bitPattern: right))
        return keys.withUnsafeBufferPointer { k in
            var i = slot(key)
            while true {
                let found = k[i]
                if found == key { return values.withUnsafeBufferPointer { $0[i] } }
                if found == .max { return .max }
                i = (i + 1) & mask
            }
        }
    }
}
