/// Reads RIFF/RF64 WAVE files in Swift: PCM 8/16/24/32-bit, IEEE float 32/64, A-law, µ-law, WAVE_FORMAT_EXTENSIBLE.
///
/// Tolerates what real writers produce: chunks before or after `fmt `, LIST/fact/junk chunks, odd chunk sizes with
/// or without the pad byte, and `data` sizes of 0 or 0xFFFFFFFF (streaming writers: the data runs to end of file).
/// Never reads past the input and never allocates more than the input's samples need.
public enum WAVDecoder {
    /// The sample encodings the parser decodes.
    enum Encoding: Equatable {
        case pcmUnsigned8, pcmSigned(bytes: Int), float32, float64, aLaw, muLaw
    }

    /// What the header says, and where the sample bytes are.
    struct Layout: Equatable {
        var encoding: Encoding
        var channels: Int
        var sampleRate: Int
        var blockAlign: Int
        var dataStart: Int
        var dataCount: Int
        var frames: Int { blockAlign > 0 ? dataCount / blockAlign : 0 }
    }

    private static let name = "WAV"

    /// Decodes a whole WAV file held in `bytes`.
    public static func decode(_ bytes: [UInt8], limits: DecodeLimits = DecodeLimits()) throws -> DecodedAudio {
        let (sink, collector) = SampleSink.collecting(limits: limits)
        try bytes.withUnsafeBufferPointer { try decode($0, into: sink) }
        return DecodedAudio(
            samples: collector.samples, sampleRate: sink.sampleRate, channels: sink.channels, format: .wav,
            decoder: .native)
    }

    /// Decodes `b` block by block into `sink`.
    static func decode(_ b: UnsafeBufferPointer<UInt8>, into sink: SampleSink) throws {
        let layout = try parse(b)
        try sink.start(
            sampleRate: layout.sampleRate, channels: layout.channels, expectedFrames: layout.frames, format: name)
        let blockFrames = 8192
        var scratch = [Float](repeating: 0, count: blockFrames * layout.channels)
        var frame = 0
        while frame < layout.frames {
            let n = min(blockFrames, layout.frames - frame)
            let from = layout.dataStart + frame * layout.blockAlign
            scratch.withUnsafeMutableBufferPointer { out in
                convert(b, from: from, frames: n, layout: layout, into: out)
            }
            try scratch.withUnsafeBufferPointer {
                try sink.push(UnsafeBufferPointer(rebasing: $0[0..<(n * layout.channels)]))
            }
            frame += n
        }
    }

    /// Parses the chunk list; throws `malformedInput` for broken files and `unsupportedInput` for other codecs.
    static func parse(_ b: UnsafeBufferPointer<UInt8>) throws -> Layout {
        guard b.count >= 12, FormatSniffer.detect(b) == .wav else {
            throw AudioError.malformedInput(format: name, detail: "no RIFF/WAVE header")
        }
        let isRF64 = b[0] != UInt8(ascii: "R") || b[1] != UInt8(ascii: "I")
        var pos = 12
        var fmt: (tag: Int, channels: Int, rate: Int, blockAlign: Int, bits: Int)?
        var data: (start: Int, count: Int)?
        var ds64DataSize: Int?
        while pos + 8 <= b.count {
            let id = fourCC(b, pos)
            let declared = Int(u32(b, pos + 4))
            let body = pos + 8
            let available = b.count - body
            if id == "data" {
                var size = declared
                if isRF64, declared == 0xFFFF_FFFF, let s = ds64DataSize { size = s }
                if size == 0xFFFF_FFFF || size > available || (size == 0 && available > 0 && !looksLikeChunk(b, body)) {
                    size = available  // streaming writer: the data runs to end of file
                }
                data = (body, size)
                if fmt != nil { break }
                pos = next(b, body: body, size: size)
                continue
            }
            let size = min(declared, available)
            switch id {
            case "fmt ":
                guard size >= 16 else { throw AudioError.malformedInput(format: name, detail: "fmt chunk too short") }
                var tag = Int(u16(b, body))
                let bits = Int(u16(b, body + 14))
                if tag == 0xFFFE {
                    guard size >= 40 else {
                        throw AudioError.malformedInput(
                            format: name, detail: "WAVE_FORMAT_EXTENSIBLE fmt chunk too short")
                    }
                    tag = Int(u16(b, body + 24))  // first two bytes of the sub-format GUID
                }
                fmt = (tag, Int(u16(b, body + 2)), Int(u32(b, body + 4)), Int(u16(b, body + 12)), bits)
            case "ds64":
                if size >= 16 { ds64DataSize = Int(clamping: u64(b, body + 8)) }
            default:
                break
            }
            pos = next(b, body: body, size: size)
        }
        guard let fmt else { throw AudioError.malformedInput(format: name, detail: "no fmt chunk") }
        guard let data else { throw AudioError.malformedInput(format: name, detail: "no data chunk") }
        let encoding = try encoding(tag: fmt.tag, bits: fmt.bits)
        guard fmt.channels > 0 else { throw AudioError.malformedInput(format: name, detail: "zero channels") }
        guard fmt.rate > 0 else { throw AudioError.malformedInput(format: name, detail: "zero sample rate") }
        let minAlign = fmt.channels * bytesPerSample(encoding)
        let align = fmt.blockAlign >= minAlign ? fmt.blockAlign : minAlign
        return Layout(
            encoding: encoding, channels: fmt.channels, sampleRate: fmt.rate, blockAlign: align, dataStart: data.start,
            dataCount: data.count)
    }

    private static func encoding(tag: Int, bits: Int) throws -> Encoding {
        switch (tag, bits) {
        case (1, 1...8): return .pcmUnsigned8
        case (1, 9...32): return .pcmSigned(bytes: (bits + 7) / 8)
        case (3, 32): return .float32
        case (3, 64): return .float64
        case (6, 8): return .aLaw
        case (7, 8): return .muLaw
        default:
            throw AudioError.unsupportedInput(
                format: "WAV (format tag 0x\(String(tag, radix: 16)), \(bits) bits)",
                remedy: "only PCM, float, A-law and µ-law WAV are read natively; install libsndfile or ffmpeg")
        }
    }

    private static func bytesPerSample(_ e: Encoding) -> Int {
        switch e {
        case .pcmUnsigned8, .aLaw, .muLaw: 1
        case .pcmSigned(let n): n
        case .float32: 4
        case .float64: 8
        }
    }

    /// Position of the chunk after one whose body starts at `body`: honours the RIFF pad byte after odd sizes unless
    /// the writer left it out (the next chunk id then starts right after the body).
    private static func next(_ b: UnsafeBufferPointer<UInt8>, body: Int, size: Int) -> Int {
        let end = body + size
        if size & 1 == 1 && !looksLikeChunk(b, end + 1) && looksLikeChunk(b, end) { return end }
        return end + (size & 1)
    }

    /// Whether a plausible chunk id (four printable ASCII characters) starts at `pos`.
    private static func looksLikeChunk(_ b: UnsafeBufferPointer<UInt8>, _ pos: Int) -> Bool {
        guard pos >= 0, pos + 8 <= b.count else { return false }
        for k in 0..<4 where !(0x20...0x7E).contains(b[pos + k]) { return false }
        return true
    }

    /// Converts `frames` frames starting at byte `from` to floats in `out`.
    static func convert(
        _ b: UnsafeBufferPointer<UInt8>, from: Int, frames: Int, layout: Layout,
        into out: UnsafeMutableBufferPointer<Float>
    ) {
        let ch = layout.channels
        let bps = bytesPerSample(layout.encoding)
        guard let src = b.baseAddress, let dst = out.baseAddress else { return }
        if layout.blockAlign == ch * bps {
            // Packed samples: one flat loop per encoding.
            convertRun(src + from, count: frames * ch, encoding: layout.encoding, into: dst)
            return
        }
        for f in 0..<frames {
            convertRun(src + from + f * layout.blockAlign, count: ch, encoding: layout.encoding, into: dst + f * ch)
        }
    }

    /// Converts `count` consecutive samples at `p`.
    private static func convertRun(
        _ p: UnsafePointer<UInt8>, count: Int, encoding: Encoding, into o: UnsafeMutablePointer<Float>
    ) {
        switch encoding {
        case .pcmUnsigned8:
            for i in 0..<count { o[i] = (Float(p[i]) - 128) * (1 / 128) }
        case .pcmSigned(2):
            for i in 0..<count {
                o[i] = Float(Int16(bitPattern: UInt16(p[2 * i]) | UInt16(p[2 * i + 1]) << 8)) * (1 / 32768)
            }
        case .pcmSigned(3):
            for i in 0..<count {
                let x = UInt32(p[3 * i]) << 8 | UInt32(p[3 * i + 1]) << 16 | UInt32(p[3 * i + 2]) << 24
                o[i] = Float(Int32(bitPattern: x) >> 8) * (1 / 8_388_608)
            }
        case .pcmSigned(let n):
            // Little-endian, left-justified into 32 bits so the sign extends, then scaled.
            for i in 0..<count {
                var x: UInt32 = 0
                for k in 0..<n { x |= UInt32(p[n * i + k]) << (8 * UInt32(4 - n + k)) }
                o[i] = Float(Int32(bitPattern: x)) * (1 / 2_147_483_648)
            }
        case .float32:
            for i in 0..<count {
                let q = p + 4 * i
                o[i] = Float(bitPattern: UInt32(q[0]) | UInt32(q[1]) << 8 | UInt32(q[2]) << 16 | UInt32(q[3]) << 24)
            }
        case .float64:
            for i in 0..<count {
                var x: UInt64 = 0
                for k in 0..<8 { x |= UInt64(p[8 * i + k]) << (8 * UInt64(k)) }
                o[i] = Float(Double(bitPattern: x))
            }
        case .aLaw:
            for i in 0..<count { o[i] = Float(G711.aLaw(p[i])) * (1 / 32768) }
        case .muLaw:
            for i in 0..<count { o[i] = Float(G711.muLaw(p[i])) * (1 / 32768) }
        }
    }

    static func u16(_ b: UnsafeBufferPointer<UInt8>, _ p: Int) -> UInt16 { UInt16(b[p]) | UInt16(b[p + 1]) << 8 }
    static func u32(_ b: UnsafeBufferPointer<UInt8>, _ p: Int) -> UInt32 {
        UInt32(b[p]) | UInt32(b[p + 1]) << 8 | UInt32(b[p + 2]) << 16 | UInt32(b[p + 3]) << 24
    }
    static func u64(_ b: UnsafeBufferPointer<UInt8>, _ p: Int) -> UInt64 {
        UInt64(u32(b, p)) | UInt64(u32(b, p + 4)) << 32
    }
    private static func fourCC(_ b: UnsafeBufferPointer<UInt8>, _ p: Int) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: b[p..<(p + 4)]), as: UTF8.self)
    }
}

/// ITU-T G.711 expansion to 16-bit linear.
enum G711 {
    static func muLaw(_ byte: UInt8) -> Int16 {
        let u = ~byte
        let t = ((Int(u & 0x0F) << 3) + 0x84) << Int((u & 0x70) >> 4)
        return Int16(u & 0x80 != 0 ? 0x84 - t : t - 0x84)
    }

    static func aLaw(_ byte: UInt8) -> Int16 {
        let a = byte ^ 0x55
        var t = Int(a & 0x0F) << 4
        let seg = Int((a & 0x70) >> 4)
        switch seg {
        case 0: t += 8
        case 1: t += 0x108
        default: t = (t + 0x108) << (seg - 1)
        }
        return Int16(a & 0x80 != 0 ? t : -t)
    }
}
