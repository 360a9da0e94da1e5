/// The byte source or sink behind one libsndfile handle, reached from C callbacks through `user_data`.
///
/// Reading serves a borrowed buffer; writing collects bytes in `pending` until the owner takes them. Bytes already
/// taken are gone: a late rewrite of them (FLAC's STREAMINFO, an MP3 info frame) is dropped and counted, which leaves
/// a valid stream whose header says "length unknown", the price of sending bytes before the end is known.
final class SndFileVirtualIO {
    private let source: UnsafeBufferPointer<UInt8>?
    /// Bytes written and not yet taken; they start at stream offset `taken`.
    private(set) var pending: [UInt8] = []
    /// Stream offset of the first byte in `pending`.
    private(set) var taken = 0
    /// Bytes of late rewrites that fell before `taken` and were dropped.
    private(set) var droppedRewriteBytes = 0
    private var position = 0

    /// Factor applied to the length reported to libsndfile (see `SndFileDecoder`); reads still end at the data.
    private let lengthScale: Int

    /// A reader over `source`, which must outlive the libsndfile handle.
    init(reading source: UnsafeBufferPointer<UInt8>, lengthScale: Int = 1) {
        self.source = source
        self.lengthScale = lengthScale
    }

    /// A writer collecting bytes.
    init() {
        source = nil
        lengthScale = 1
    }

    var length: Int { source.map { $0.count * lengthScale } ?? (taken + pending.count) }

    /// Returns the bytes written since the last call.
    func take() -> [UInt8] {
        let out = pending
        taken += pending.count
        pending.removeAll(keepingCapacity: true)
        return out
    }

    fileprivate func seek(_ offset: Int64, _ whence: Int32) -> Int64 {
        let base: Int
        switch whence {
        case 0: base = 0
        case 1: base = position
        case 2: base = length
        default: return -1
        }
        let target = base + Int(offset)
        guard target >= 0 else { return -1 }
        position = target
        return Int64(target)
    }

    fileprivate func read(_ dst: UnsafeMutableRawPointer?, _ count: Int64) -> Int64 {
        guard let dst, count > 0 else { return 0 }
        if let source, let base = source.baseAddress {
            let n = max(0, min(Int(count), source.count - position))
            if n > 0 { dst.copyMemory(from: base + position, byteCount: n) }
            // Past the data, up to the reported length, the stream reads as zeros.
            let zeros = max(0, min(Int(count) - n, length - max(position, source.count)))
            if zeros > 0 { (dst + n).initializeMemory(as: UInt8.self, repeating: 0, count: zeros) }
            position += n + zeros
            return Int64(n + zeros)
        }
        let start = position - taken
        guard start >= 0, start < pending.count else { return 0 }
        let n = min(Int(count), pending.count - start)
        pending.withUnsafeBytes { src in
            if let b = src.baseAddress { dst.copyMemory(from: b + start, byteCount: n) }
        }
        position += n
        return Int64(n)
    }

    fileprivate func write(_ src: UnsafeRawPointer?, _ count: Int64) -> Int64 {
        guard source == nil, let src, count > 0 else { return 0 }
        var bytes = UnsafeRawBufferPointer(start: src, count: Int(count))
        if position < taken {
            let lost = min(taken - position, bytes.count)
            droppedRewriteBytes += lost
            bytes = UnsafeRawBufferPointer(rebasing: bytes[lost...])
            position += lost
        }
        let start = position - taken
        if start > pending.count { pending.append(contentsOf: repeatElement(0, count: start - pending.count)) }
        let overlap = min(bytes.count, pending.count - start)
        for k in 0..<overlap { pending[start + k] = bytes[k] }
        if overlap < bytes.count { pending.append(contentsOf: bytes[overlap...]) }
        position += bytes.count
        return count
    }

    fileprivate func tell() -> Int64 { Int64(position) }

    /// Allocates a C `SF_VIRTUAL_IO` (five function pointers in declaration order); free it with `deallocate()`.
    static func makeCallbacks() -> UnsafeMutableRawPointer {
        typealias GetLength = @convention(c) (UnsafeMutableRawPointer?) -> Int64
        typealias Seek = @convention(c) (Int64, Int32, UnsafeMutableRawPointer?) -> Int64
        typealias Read = @convention(c) (UnsafeMutableRawPointer?, Int64, UnsafeMutableRawPointer?) -> Int64
        typealias Write = @convention(c) (UnsafeRawPointer?, Int64, UnsafeMutableRawPointer?) -> Int64
        typealias Tell = @convention(c) (UnsafeMutableRawPointer?) -> Int64
        let getLength: GetLength = { user in io(user).map { Int64($0.length) } ?? -1 }
        let seek: Seek = { offset, whence, user in io(user)?.seek(offset, whence) ?? -1 }
        let read: Read = { dst, count, user in io(user)?.read(dst, count) ?? 0 }
        let write: Write = { src, count, user in io(user)?.write(src, count) ?? 0 }
        let tell: Tell = { user in io(user)?.tell() ?? -1 }
        let stride = MemoryLayout<UnsafeRawPointer>.stride
        let table = UnsafeMutableRawPointer.allocate(byteCount: 5 * stride, alignment: stride)
        table.storeBytes(of: getLength, toByteOffset: 0, as: GetLength.self)
        table.storeBytes(of: seek, toByteOffset: stride, as: Seek.self)
        table.storeBytes(of: read, toByteOffset: 2 * stride, as: Read.self)
        table.storeBytes(of: write, toByteOffset: 3 * stride, as: Write.self)
        table.storeBytes(of: tell, toByteOffset: 4 * stride, as: Tell.self)
        return table
    }

    /// The opaque `user_data` pointer for this object (not retained: the owner keeps it alive).
    var userData: UnsafeMutableRawPointer { Unmanaged.passUnretained(self).toOpaque() }
}

/// Recovers the `SndFileVirtualIO` behind a `user_data` pointer (libsndfile passes back the one given at open).
private func io(_ user: UnsafeMutableRawPointer?) -> SndFileVirtualIO? {
    user.map { Unmanaged<SndFileVirtualIO>.fromOpaque($0).takeUnretainedValue() }
}

/// A C `SF_INFO`: `sf_count_t frames; int samplerate, channels, format, sections, seekable;` (32 bytes, 8-aligned).
struct SndFileInfo {
    var frames: Int64 = 0
    var sampleRate: Int32 = 0
    var channels: Int32 = 0
    var format: Int32 = 0

    /// Calls `body` with a C `SF_INFO` filled from `self`, then reads the fields back.
    mutating func withCStruct<R>(_ body: (UnsafeMutableRawPointer) throws -> R) rethrows -> R {
        let p = UnsafeMutableRawPointer.allocate(byteCount: 32, alignment: 8)
        defer { p.deallocate() }
        p.initializeMemory(as: UInt8.self, repeating: 0, count: 32)
        p.storeBytes(of: frames, toByteOffset: 0, as: Int64.self)
        p.storeBytes(of: sampleRate, toByteOffset: 8, as: Int32.self)
        p.storeBytes(of: channels, toByteOffset: 12, as: Int32.self)
        p.storeBytes(of: format, toByteOffset: 16, as: Int32.self)
        let r = try body(p)
        frames = p.load(fromByteOffset: 0, as: Int64.self)
        sampleRate = p.load(fromByteOffset: 8, as: Int32.self)
        channels = p.load(fromByteOffset: 12, as: Int32.self)
        format = p.load(fromByteOffset: 16, as: Int32.self)
        return r
    }
}
