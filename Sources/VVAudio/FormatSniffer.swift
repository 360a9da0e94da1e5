/// Recognises an audio container from its leading bytes (magic numbers), never from a file name.
///
/// Reads at most the first few kilobytes (plus an ID3v2 tag it skips) and never allocates; safe on arbitrary bytes.
public enum FormatSniffer {
    /// Returns the format of `bytes`, or `.unknown`.
    public static func detect(_ bytes: [UInt8]) -> InputFormat {
        bytes.withUnsafeBufferPointer { detect($0) }
    }

    /// Returns the format of the bytes in `b`, or `.unknown`.
    public static func detect(_ b: UnsafeBufferPointer<UInt8>) -> InputFormat {
        if b.count < 4 { return .unknown }
        if matches(b, 0, "RIFF") || matches(b, 0, "RF64") || matches(b, 0, "BW64") {
            return matches(b, 8, "WAVE") ? .wav : .unknown
        }
        if matches(b, 0, "fLaC") { return .flac }
        if matches(b, 0, "OggS") { return oggCodec(b) }
        if matches(b, 0, "FORM") && (matches(b, 8, "AIFF") || matches(b, 8, "AIFC")) { return .aiff }
        if matches(b, 0, "caff") { return .caf }
        if matches(b, 0, ".snd") { return .au }
        if matches(b, 0, "#!AMR") { return .amr }
        if matches(b, 4, "ftyp") { return .mp4 }
        if b[0] == 0x1A && b[1] == 0x45 && b[2] == 0xDF && b[3] == 0xA3 { return .matroska }
        if b[0] == 0 && b[1] == 0 && b[2] == 1 && (b[3] == 0xBA || b[3] == 0xB3) { return .mpegStream }
        if b.count >= 189 && b[0] == 0x47 && b[188] == 0x47 { return .mpegStream }
        var start = 0
        if matches(b, 0, "ID3") && b.count >= 10 {
            // ID3v2: 10-byte header, syncsafe size, optional 10-byte footer.
            let size = (Int(b[6] & 0x7F) << 21) | (Int(b[7] & 0x7F) << 14) | (Int(b[8] & 0x7F) << 7) | Int(b[9] & 0x7F)
            start = 10 + size + ((b[5] & 0x10) != 0 ? 10 : 0)
            if matches(b, start, "fLaC") { return .flac }
            if start >= b.count { return .mp3 }  // a tag with nothing after it: call it mp3 and let the decoder say
        }
        return frameSync(b, from: start)
    }

    private static func oggCodec(_ b: UnsafeBufferPointer<UInt8>) -> InputFormat {
        // First page: 27-byte header, segment table of b[26] entries, then the first packet.
        guard b.count > 27 else { return .oggOther }
        let packet = 27 + Int(b[26])
        if matches(b, packet, "OpusHead") { return .oggOpus }
        if packet < b.count && b[packet] == 1 && matches(b, packet + 1, "vorbis") { return .oggVorbis }
        return .oggOther
    }

    /// Looks for an MPEG audio or ADTS frame header in the first 4 KiB after `from` (tags may be padded).
    private static func frameSync(_ b: UnsafeBufferPointer<UInt8>, from: Int) -> InputFormat {
        guard from >= 0, from < b.count - 3 else { return .unknown }
        let end = min(b.count - 3, from + (from > 0 ? 4096 : 1))
        var i = from
        while i < end {
            if b[i] == 0xFF && (b[i + 1] & 0xE0) == 0xE0 {
                let layer = (b[i + 1] >> 1) & 0x3
                if layer == 0 && (b[i + 1] & 0xF6) == 0xF0 {
                    if ((b[i + 2] >> 2) & 0xF) < 13 { return .aacADTS }
                } else if layer != 0 && (b[i + 1] >> 3) & 0x3 != 1 {
                    let bitrate = b[i + 2] >> 4, rate = (b[i + 2] >> 2) & 0x3
                    if bitrate != 0xF && rate != 0x3 { return .mp3 }
                }
            }
            i += 1
        }
        return .unknown
    }

    private static func matches(_ b: UnsafeBufferPointer<UInt8>, _ at: Int, _ tag: StaticString) -> Bool {
        let n = tag.utf8CodeUnitCount
        guard at >= 0, at <= b.count - n else { return false }
        let p = tag.utf8Start
        for k in 0..<n where b[at + k] != p[k] { return false }
        return true
    }
}
