/// Incremental SHA-1 (FIPS 180-4), used only to check content against a git blob id.
///
/// The hub names small (non-LFS) files by their git blob id, and GitHub names every file that way; both are SHA-1 over
/// `"blob <length>\0"` followed by the content. SHA-1 is weak against deliberate collisions, so it is used only where no
/// SHA-256 is published, as an integrity check.
public struct SHA1: Sendable {
    private var state: (UInt32, UInt32, UInt32, UInt32, UInt32) = (
        0x6745_2301, 0xefcd_ab89, 0x98ba_dcfe, 0x1032_5476, 0xc3d2_e1f0
    )
    private var buffer = [UInt8](repeating: 0, count: 64)
    private var buffered = 0
    private var length: UInt64 = 0

    /// Creates a hasher in its initial state.
    public init() {}

    /// Hashes `bytes` and returns the lowercase hex digest.
    public static func hex<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        var hasher = SHA1()
        hasher.update(Array(bytes))
        return hasher.finalizeHex()
    }

    /// A hasher already fed the git blob header for content of `length` bytes.
    public static func gitBlob(length: Int64) -> SHA1 {
        var hasher = SHA1()
        hasher.update(Array("blob \(length)\u{0}".utf8))
        return hasher
    }

    /// Adds `bytes` to the message.
    public mutating func update(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { update($0) }
    }

    /// Adds the bytes in `pointer` to the message.
    public mutating func update(_ pointer: UnsafeBufferPointer<UInt8>) {
        guard var base = pointer.baseAddress else { return }
        var count = pointer.count
        length &+= UInt64(count)
        if buffered > 0 {
            let take = min(64 - buffered, count)
            for i in 0..<take { buffer[buffered + i] = base[i] }
            buffered += take
            base += take
            count -= take
            if buffered < 64 { return }
            buffer.withUnsafeBufferPointer { compress($0.baseAddress.unsafelyUnwrapped) }
            buffered = 0
        }
        while count >= 64 {
            compress(base)
            base += 64
            count -= 64
        }
        for i in 0..<count { buffer[i] = base[i] }
        buffered = count
    }

    /// Pads the message and returns the 20-byte digest.
    public mutating func finalize() -> [UInt8] {
        let bitLength = length &* 8
        var tail: [UInt8] = [0x80]
        tail += [UInt8](repeating: 0, count: (55 &- buffered) & 63)
        for shift in stride(from: 56, through: 0, by: -8) { tail.append(UInt8(truncatingIfNeeded: bitLength >> UInt64(shift))) }
        update(tail)
        var out: [UInt8] = []
        for word in [state.0, state.1, state.2, state.3, state.4] {
            out += [UInt8(word >> 24), UInt8(truncatingIfNeeded: word >> 16), UInt8(truncatingIfNeeded: word >> 8),
                    UInt8(truncatingIfNeeded: word)]
        }
        return out
    }

    /// Pads the message and returns the digest as lowercase hex.
    public mutating func finalizeHex() -> String { HexEncoding.encode(finalize()) }

    private mutating func compress(_ block: UnsafePointer<UInt8>) {
        var w = [UInt32](repeating: 0, count: 80)
        for i in 0..<16 {
            let p = block + 4 * i
            w[i] = UInt32(p[0]) << 24 | UInt32(p[1]) << 16 | UInt32(p[2]) << 8 | UInt32(p[3])
        }
        for i in 16..<80 { w[i] = rotl(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1) }
        var a = state.0, b = state.1, c = state.2, d = state.3, e = state.4
        for i in 0..<80 {
            let f: UInt32, k: UInt32
            switch i {
            case 0..<20: f = (b & c) | (~b & d); k = 0x5a82_7999
            case 20..<40: f = b ^ c ^ d; k = 0x6ed9_eba1
            case 40..<60: f = (b & c) | (b & d) | (c & d); k = 0x8f1b_bcdc
            default: f = b ^ c ^ d; k = 0xca62_c1d6
            }
            let t = rotl(a, 5) &+ f &+ e &+ k &+ w[i]
            e = d
            d = c
            c = rotl(b, 30)
            b = a
            a = t
        }
        state.0 &+= a
        state.1 &+= b
        state.2 &+= c
        state.3 &+= d
        state.4 &+= e
    }
}

@inline(__always) private func rotl(_ x: UInt32, _ n: UInt32) -> UInt32 { (x << n) | (x >> (32 - n)) }
