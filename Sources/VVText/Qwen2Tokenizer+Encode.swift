/// The encoding pipeline: added tokens, NFC, Qwen2 split, byte-level BPE.
extension Qwen2Tokenizer {
    /// Encodes `text` into token ids as `Int32` (the form embedding lookups take).
    public func encodeInt32(_ text: String) -> [Int32] {
        var out: [Int32] = []
        out.reserveCapacity(text.utf8.count / 3 + 4)
        var work = EncodeWorkspace()
        var copy = text
        copy.withUTF8 { buf in
            if rawMatcher.isEmpty {
                encodeNormalizing(buf, work: &work, into: &out)
            } else {
                rawMatcher.split(
                    buf,
                    onText: { start, end in
                        encodeNormalizing(UnsafeBufferPointer(rebasing: buf[start..<end]), work: &work, into: &out)
                    },
                    onToken: { out.append($0) })
            }
        }
        return out
    }

    /// Normalises a run of text between raw added tokens, then splits on normalised added tokens.
    private func encodeNormalizing(
        _ text: UnsafeBufferPointer<UInt8>, work: inout EncodeWorkspace, into out: inout [Int32]
    ) {
        let tables = UnicodeTables.shared
        work.decode(text)
        var normalizedBytes: [UInt8]? = nil
        if usesNFC {
            let inert = work.scalars.withUnsafeBufferPointer { NFCNormalizer.isInert($0, tables: tables) }
            if !inert {
                let nfc = NFCNormalizer.normalize(work.scalars, tables: tables)
                var bytes: [UInt8] = []
                bytes.reserveCapacity(text.count + 8)
                for c in nfc { EncodeWorkspace.appendUTF8(c, to: &bytes) }
                normalizedBytes = bytes
            }
        }
        if normalizedBytes == nil && normalizedMatcher.isEmpty {
            encodePieces(text, work: &work, decoded: true, into: &out)
            return
        }
        let bytes = normalizedBytes ?? Array(text)
        bytes.withUnsafeBufferPointer { buf in
            if normalizedMatcher.isEmpty {
                encodePieces(buf, work: &work, decoded: false, into: &out)
            } else {
                normalizedMatcher.split(
                    buf,
                    onText: { start, end in
                        encodePieces(
                            UnsafeBufferPointer(rebasing: buf[start..<end]), work: &work, decoded: false, into: &out)
                    },
                    onToken: { out.append($0) })
            }
        }
    }

    /// Splits normalised text with the Qwen2 regex and BPE-encodes each piece.
    private func encodePieces(
        _ text: UnsafeBufferPointer<UInt8>, work: inout EncodeWorkspace, decoded: Bool, into out: inout [Int32]
    ) {
        let tables = UnicodeTables.shared
        if !decoded { work.decode(text) }
        work.classify(tables)
        let model = self.model
        work.scalars.withUnsafeBufferPointer { scalars in
            work.classes.withUnsafeBufferPointer { classes in
                work.offsets.withUnsafeBufferPointer { offsets in
                    Qwen2PreTokenizer.split(scalars, classes: classes, tables: tables) { start, end in
                        let piece = UnsafeBufferPointer(
                            rebasing: text[Int(offsets[start])..<Int(offsets[end])])
                        model.encode(piece, into: &out)
                    }
                }
            }
        }
    }
}

/// Reusable buffers for one encode call.
struct EncodeWorkspace {
    /// Scalar values of the current text.
    var scalars: [UInt32] = []
    /// Split-regex class of each scalar.
    var classes: [UInt8] = []
    /// Byte offset of each scalar, plus the total length at the end.
    var offsets: [Int32] = []

    /// Decodes valid UTF-8 into `scalars` and `offsets`.
    mutating func decode(_ text: UnsafeBufferPointer<UInt8>) {
        scalars.removeAll(keepingCapacity: true)
        offsets.removeAll(keepingCapacity: true)
        scalars.reserveCapacity(text.count)
        offsets.reserveCapacity(text.count + 1)
        var i = 0
        let n = text.count
        while i < n {
            let b0 = UInt32(text[i])
            offsets.append(Int32(i))
            if b0 < 0x80 {
                scalars.append(b0)
                i += 1
            } else if b0 < 0xE0, i + 1 < n {
                scalars.append((b0 & 0x1F) << 6 | UInt32(text[i + 1] & 0x3F))
                i += 2
            } else if b0 < 0xF0, i + 2 < n {
                scalars.append((b0 & 0x0F) << 12 | UInt32(text[i + 1] & 0x3F) << 6 | UInt32(text[i + 2] & 0x3F))
                i += 3
            } else if i + 3 < n {
                scalars.append(
                    (b0 & 0x07) << 18 | UInt32(text[i + 1] & 0x3F) << 12 | UInt32(text[i + 2] & 0x3F) << 6
                        | UInt32(text[i + 3] & 0x3F))
                i += 4
            } else {
                // Truncated sequence: impossible for String contents; keep the byte as "other".
                scalars.append(0xFFFD)
                i += 1
            }
        }
        offsets.append(Int32(n))
    }

    /// Fills `classes` for the current `scalars`.
    mutating func classify(_ tables: UnicodeTables) {
        classes.removeAll(keepingCapacity: true)
        classes.reserveCapacity(scalars.count)
        for c in scalars { classes.append(c < 0x110000 ? tables.charClass(c) : 0) }
    }

    /// Appends the UTF-8 encoding of scalar value `c`.
    static func appendUTF8(_ c: UInt32, to bytes: inout [UInt8]) {
        if c < 0x80 {
            bytes.append(UInt8(c))
        } else if c < 0x800 {
            bytes.append(UInt8(0xC0 | c >> 6))
            bytes.append(UInt8(0x80 | c & 0x3F))
        } else if c < 0x10000 {
            bytes.append(UInt8(0xE0 | c >> 12))
            bytes.append(UInt8(0x80 | (c >> 6) & 0x3F))
            bytes.append(UInt8(0x80 | c & 0x3F))
        } else {
            bytes.append(UInt8(0xF0 | c >> 18))
            bytes.append(UInt8(0x80 | (c >> 12) & 0x3F))
            bytes.append(UInt8(0x80 | (c >> 6) & 0x3F))
            bytes.append(UInt8(0x80 | c & 0x3F))
        }
    }
}
