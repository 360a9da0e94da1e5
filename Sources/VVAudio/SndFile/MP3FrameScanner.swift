/// Counts the samples in an MPEG audio stream by walking its frame headers (no decoding).
///
/// Used to catch libsndfile under-reporting the length of MP3s without a Xing/Info/VBRI header (see
/// `SndFileDecoder`). Linear in the input, never allocates.
enum MP3FrameScanner {
    private static let bitrates: [[Int]] = [
        [0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448],  // MPEG-1 layer I
        [0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384],  // MPEG-1 layer II
        [0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320],  // MPEG-1 layer III
        [0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256],  // MPEG-2/2.5 layer I
        [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160],  // MPEG-2/2.5 layers II and III
    ]
    private static let rates: [[Int]] = [[11025, 12000, 8000], [], [22050, 24000, 16000], [44100, 48000, 32000]]

    /// A parsed frame header: its length in bytes and the samples per channel it decodes to.
    struct Frame: Equatable {
        var bytes: Int
        var samples: Int
    }

    /// Parses the 4-byte header at `p`, or nil if there is none.
    static func frame(_ b: UnsafeBufferPointer<UInt8>, at p: Int) -> Frame? {
        guard p >= 0, p + 4 <= b.count, b[p] == 0xFF, b[p + 1] & 0xE0 == 0xE0 else { return nil }
        let version = Int(b[p + 1] >> 3) & 3, layer = Int(b[p + 1] >> 1) & 3
        let bitrateIndex = Int(b[p + 2] >> 4), rateIndex = Int(b[p + 2] >> 2) & 3, pad = Int(b[p + 2] >> 1) & 1
        guard version != 1, layer != 0, bitrateIndex != 0, bitrateIndex != 15, rateIndex != 3 else { return nil }
        let mpeg1 = version == 3
        let table = mpeg1 ? 3 - layer : (layer == 3 ? 3 : 4)
        let kbps = bitrates[table][bitrateIndex]
        let rate = rates[version][rateIndex]
        switch layer {
        case 3: return Frame(bytes: (12 * kbps * 1000 / rate + pad) * 4, samples: 384)
        case 2: return Frame(bytes: 144 * kbps * 1000 / rate + pad, samples: 1152)
        default:
            return Frame(bytes: (mpeg1 ? 144 : 72) * kbps * 1000 / rate + pad, samples: mpeg1 ? 1152 : 576)
        }
    }

    /// Samples per channel in all frames of `b` (after an ID3v2 tag), resynchronising over junk.
    static func sampleCount(_ b: UnsafeBufferPointer<UInt8>) -> Int {
        var p = 0
        if b.count >= 10, b[0] == UInt8(ascii: "I"), b[1] == UInt8(ascii: "D"), b[2] == UInt8(ascii: "3") {
            let size = (Int(b[6] & 0x7F) << 21) | (Int(b[7] & 0x7F) << 14) | (Int(b[8] & 0x7F) << 7) | Int(b[9] & 0x7F)
            p = 10 + size + ((b[5] & 0x10) != 0 ? 10 : 0)
        }
        var samples = 0
        while p + 4 <= b.count {
            // A frame counts when the next one (or the end of the data) follows it exactly.
            if let f = frame(b, at: p), f.bytes >= 4, p + f.bytes == b.count || frame(b, at: p + f.bytes) != nil {
                samples += f.samples
                p += f.bytes
            } else {
                p += 1
            }
        }
        return samples
    }
}
