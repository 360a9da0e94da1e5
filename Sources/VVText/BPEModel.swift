import Synchronization

/// Byte-level BPE: turns the bytes of one pre-tokenized piece into token ids by applying merges in rank order.
///
/// Mirrors `tokenizers::models::bpe::BPE` (0.21.4) with dropout off: the piece starts as one symbol per byte
/// (its byte-level character looked up in the vocabulary), then the adjacent pair with the lowest merge rank is
/// merged, leftmost first on ties, until no pair has a merge. Results for short pieces are cached; the cache is
/// shared and thread-safe, so one model serves concurrent requests.
final class BPEModel: Sendable {
    /// Id of each byte's single-character token, or -1 when the vocabulary lacks it.
    private let byteToID: [Int32]
    /// `left << 32 | right` → `rank << 32 | merged id`.
    private let merges: MergeTable
    /// Id of `unk_token`, when set.
    private let unkID: Int32?
    /// `fuse_unk`.
    private let fuseUnk: Bool
    /// Whole-piece vocabulary lookup, only when `ignore_merges` is set.
    private let wholePieces: [[UInt8]: Int32]?
    /// Cache of piece results (pieces of at most `PieceKey.capacity` bytes).
    private let cache = Mutex(PieceCache())

    /// Builds the model from a vocabulary of byte-level strings and merges in rank order.
    init(
        vocab: [TokenKey: Int], merges mergeList: [(TokenKey, TokenKey)], unkToken: TokenKey?, fuseUnk: Bool,
        ignoreMerges: Bool
    ) throws {
        var table = [Int32](repeating: -1, count: 256)
        for b in 0..<256 {
            var utf8: [UInt8] = []
            EncodeWorkspace.appendUTF8(ByteLevel.byteToScalar[b], to: &utf8)
            if let id = vocab[TokenKey(utf8)] { table[b] = Int32(id) }
        }
        byteToID = table
        var map = MergeTable(capacity: mergeList.count)
        for (rank, (a, b)) in mergeList.enumerated() {
            let joined = TokenKey(a.bytes + b.bytes)
            guard let left = vocab[a] else {
                throw TokenizerError.mergeTokenNotInVocabulary(merge: "\(a.string) \(b.string)", token: a.string)
            }
            guard let right = vocab[b] else {
                throw TokenizerError.mergeTokenNotInVocabulary(merge: "\(a.string) \(b.string)", token: b.string)
            }
            guard let merged = vocab[joined] else {
                throw TokenizerError.mergeTokenNotInVocabulary(merge: "\(a.string) \(b.string)", token: joined.string)
            }
            map.set(UInt64(left) << 32 | UInt64(right), UInt64(rank) << 32 | UInt64(merged))
        }
        merges = map
        if let unkToken {
            guard let id = vocab[unkToken] else { throw TokenizerError.missingSpecialToken(unkToken.string) }
            unkID = Int32(id)
        } else {
            unkID = nil
        }
        self.fuseUnk = fuseUnk
        if ignoreMerges {
            var whole: [[UInt8]: Int32] = [:]
            for (token, id) in vocab {
                if let bytes = ByteLevel.bytes(utf8: token.bytes) { whole[bytes] = Int32(id) }
            }
            wholePieces = whole
        } else {
            wholePieces = nil
        }
    }

    /// Appends the ids of one piece (raw UTF-8 bytes, before byte-level mapping) to `out`.
    func encode(_ piece: UnsafeBufferPointer<UInt8>, into out: inout [Int32]) {
        if let wholePieces, let id = wholePieces[Array(piece)] {
            out.append(id)
            return
        }
        if let key = PieceKey(piece) {
            if cache.withLock({ $0.lookup(key, into: &out) }) { return }
            let start = out.count
            merge(piece, into: &out)
            let ids = out[start...]
            cache.withLock { $0.insert(key, ids) }
        } else {
            let key = Array(piece)
            if cache.withLock({ $0.lookup(key, into: &out) }) { return }
            let start = out.count
            merge(piece, into: &out)
            let ids = out[start...]
            cache.withLock { $0.insert(key, ids) }
        }
    }

    /// Runs the merges on one piece.
    private func merge(_ piece: UnsafeBufferPointer<UInt8>, into out: inout [Int32]) {
        var symbols: [Int32] = []
        symbols.reserveCapacity(piece.count)
        var pendingUnk = false
        for b in piece {
            let id = byteToID[Int(b)]
            if id >= 0 {
                if pendingUnk, let unkID { symbols.append(unkID) }
                pendingUnk = false
                symbols.append(id)
            } else if let unkID {
                if pendingUnk && !fuseUnk { symbols.append(unkID) }
                pendingUnk = true
            }
        }
        if pendingUnk, let unkID { symbols.append(unkID) }
        if symbols.count < 2 {
            out.append(contentsOf: symbols)
            return
        }
        if symbols.count > 48 {
            mergeLong(&symbols)
            out.append(contentsOf: symbols)
            return
        }
        // ranks[i]: merge value of the pair (symbols[i], symbols[i + 1]), or UInt64.max.
        var ranks = [UInt64](repeating: .max, count: symbols.count - 1)
        for i in 0..<(symbols.count - 1) { ranks[i] = pairValue(symbols[i], symbols[i + 1]) }
        while true {
            var best = UInt64.max
            var pos = -1
            for i in 0..<ranks.count where ranks[i] < best {
                best = ranks[i]
                pos = i
            }
            if pos < 0 { break }
            symbols[pos] = Int32(truncatingIfNeeded: best & 0xFFFF_FFFF)
            symbols.remove(at: pos + 1)
            ranks.remove(at: pos)
            if pos < ranks.count { ranks[pos] = pairValue(symbols[pos], symbols[pos + 1]) }
            if pos > 0 { ranks[pos - 1] = pairValue(symbols[pos - 1], symbols[pos]) }
        }
        out.append(contentsOf: symbols)
    }

    @inline(__always)
    private func pairValue(_ a: Int32, _ b: Int32) -> UInt64 {
        merges.get(a, b)
    }
}

extension BPEModel {
    /// The same merges for long pieces in O(n log n): symbols in a linked list, candidate pairs in a min-heap
    /// ordered by (rank, position), stale entries skipped when popped (tokenizers' `Word::merge_all`).
    fileprivate func mergeLong(_ symbols: inout [Int32]) {
        let n = symbols.count
        var next = [Int32](0..<Int32(n)).map { $0 + 1 }
        next[n - 1] = -1
        var prev = [Int32](0..<Int32(n)).map { $0 - 1 }
        var alive = [Bool](repeating: true, count: n)
        var heap = MinHeap()
        for i in 0..<(n - 1) {
            let v = pairValue(symbols[i], symbols[i + 1])
            if v != .max { heap.push((v >> 32) << 32 | UInt64(i)) }
        }
        while let top = heap.pop() {
            let pos = Int(top & 0xFFFF_FFFF)
            let rank = top >> 32
            guard alive[pos], next[pos] >= 0 else { continue }
            let right = Int(next[pos])
            let v = pairValue(symbols[pos], symbols[right])
            guard v != .max, v >> 32 == rank else { continue }
            symbols[pos] = Int32(truncatingIfNeeded: v & 0xFFFF_FFFF)
            alive[right] = false
            next[pos] = next[right]
            if next[right] >= 0 { prev[Int(next[right])] = Int32(pos) }
            if prev[pos] >= 0 {
                let p = Int(prev[pos])
                let pv = pairValue(symbols[p], symbols[pos])
                if pv != .max { heap.push((pv >> 32) << 32 | UInt64(p)) }
            }
            if next[pos] >= 0 {
                let nv = pairValue(symbols[pos], symbols[Int(next[pos])])
                if nv != .max { heap.push((nv >> 32) << 32 | UInt64(pos)) }
            }
        }
        var result: [Int32] = []
        result.reserveCapacity(n)
        var i = 0
        while i >= 0 {
            result.append(symbols[i])
            i = Int(next[i])
        }
        symbols = result
    }
}

/// A binary min-heap of `UInt64`.
private struct MinHeap {
    private var items: [UInt64] = []

    mutating func push(_ x: UInt64) {
        items.append(x)
        var i = items.count - 1
        while i > 0 {
            let parent = (i - 1) >> 1
            if items[parent] <= items[i] { break }
            items.swapAt(parent, i)
            i = parent
        }
    }

    mutating func pop() -> UInt64? {
        guard let first = items.first else { return nil }
        let last = items.removeLast()
        if !items.isEmpty {
            items[0] = last
            var i = 0
            let n = items.count
            while true {
                let l = 2 * i + 1, r = l + 1
                var m = i
                if l < n && items[l] < items[m] { m = l }
                if r < n && items[r] < items[m] { m = r }
                if m == i { break }
                items.swapAt(i, m)
                i = m
            }
        }
        return first
    }
}

/// A piece of at most 24 bytes packed into integers, usable as a cache key without allocation.
struct PieceKey: Hashable, Sendable {
    /// Longest piece that is cached.
    static let capacity = 24
    private var a: UInt64 = 0, b: UInt64 = 0, c: UInt64 = 0
    private var count: UInt8 = 0

    /// Packs `bytes`, or returns nil when they are too long.
    init?(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard bytes.count <= Self.capacity else { return nil }
        count = UInt8(bytes.count)
        for (i, byte) in bytes.enumerated() {
            let shift = UInt64((i & 7) << 3)
            switch i >> 3 {
            case 0: a |= UInt64(byte) << shift
            case 1: b |= UInt64(byte) << shift
            default: c |= UInt64(byte) << shift
            }
        }
    }
}

/// Storage of cached piece results: ids live in one arena, the map holds `start << 16 | count`.
struct PieceCache: Sendable {
    /// Entries kept before the cache is cleared.
    static let maxEntries = 200_000
    /// Ids kept in the arena before the cache is cleared.
    static let maxArena = 4_000_000
    private var map: [PieceKey: UInt64] = [:]
    private var longMap: [[UInt8]: UInt64] = [:]
    private var arena: [Int32] = []

    /// Appends the cached ids of `key` to `out`; false when absent.
    mutating func lookup(_ key: PieceKey, into out: inout [Int32]) -> Bool {
        guard let entry = map[key] else { return false }
        let start = Int(entry >> 16), count = Int(entry & 0xFFFF)
        out.append(contentsOf: arena[start..<(start + count)])
        return true
    }

    /// Appends the cached ids of a long piece to `out`; false when absent.
    mutating func lookup(_ key: [UInt8], into out: inout [Int32]) -> Bool {
        guard let entry = longMap[key] else { return false }
        let start = Int(entry >> 16), count = Int(entry & 0xFFFF)
        out.append(contentsOf: arena[start..<(start + count)])
        return true
    }

    /// Records the ids of `key`.
    mutating func insert(_ key: PieceKey, _ ids: ArraySlice<Int32>) {
        guard let entry = append(ids) else { return }
        map[key] = entry
    }

    /// Records the ids of a long piece.
    mutating func insert(_ key: [UInt8], _ ids: ArraySlice<Int32>) {
        guard let entry = append(ids) else { return }
        longMap[key] = entry
    }

    /// Stores ids in the arena (clearing everything when full); nil when too many ids for one entry.
    private mutating func append(_ ids: ArraySlice<Int32>) -> UInt64? {
        guard ids.count <= 0xFFFF else { return nil }
        if map.count + longMap.count >= Self.maxEntries || arena.count >= Self.maxArena {
            map.removeAll(keepingCapacity: true)
            longMap.removeAll(keepingCapacity: true)
            arena.removeAll(keepingCapacity: true)
        }
        let entry = UInt64(arena.count) << 16 | UInt64(ids.count)
        arena.append(contentsOf: ids)
        return entry
    }
}
