import Foundation
import Testing

@testable import VVAudio

/// Builds WAV files chunk by chunk, including broken and unusual layouts.
struct WAVBuilder {
    var riff = "RIFF"
    var riffSize: UInt32?
    var chunks: [(id: String, size: UInt32?, body: [UInt8], pad: Bool)] = []

    static func le(_ v: UInt64, _ n: Int) -> [UInt8] { (0..<n).map { UInt8((v >> (8 * UInt64($0))) & 0xFF) } }

    static func fmt(tag: UInt16, channels: Int, rate: Int, bits: Int, extensibleSub: UInt16? = nil) -> [UInt8] {
        let blockAlign = channels * ((bits + 7) / 8)
        var b = le(UInt64(extensibleSub == nil ? tag : 0xFFFE), 2) + le(UInt64(channels), 2) + le(UInt64(rate), 4)
        b += le(UInt64(rate * blockAlign), 4) + le(UInt64(blockAlign), 2) + le(UInt64(bits), 2)
        if let sub = extensibleSub {
            b += le(22, 2) + le(UInt64(bits), 2) + le(3, 4) + le(UInt64(sub), 2)
            b += [0x00, 0x00, 0x00, 0x00, 0x10, 0x00, 0x80, 0x00, 0x00, 0xAA, 0x00, 0x38, 0x9B, 0x71]
        }
        return b
    }

    mutating func add(_ id: String, _ body: [UInt8], size: UInt32? = nil, pad: Bool = true) {
        chunks.append((id, size, body, pad))
    }

    func bytes() -> [UInt8] {
        var body = Array("WAVE".utf8)
        for c in chunks {
            body += Array(c.id.utf8) + WAVBuilder.le(UInt64(c.size ?? UInt32(c.body.count)), 4) + c.body
            if c.pad && c.body.count % 2 == 1 { body.append(0) }
        }
        return Array(riff.utf8) + WAVBuilder.le(UInt64(riffSize ?? UInt32(body.count)), 4) + body
    }
}

@Suite struct WAVDecoderTests {
    /// Integer samples used throughout: extremes, zero and a few odd values.
    static let ints: [Int] = [0, 1, -1, 1000, -1000, 32767, -32768, 12345]

    @Test func pcm16StereoValues() throws {
        var w = WAVBuilder()
        w.add("fmt ", WAVBuilder.fmt(tag: 1, channels: 2, rate: 44100, bits: 16))
        w.add("data", Self.ints.flatMap { WAVBuilder.le(UInt64(UInt16(bitPattern: Int16($0))), 2) })
        let a = try WAVDecoder.decode(w.bytes())
        #expect(a.sampleRate == 44100 && a.channels == 2 && a.frameCount == 4 && a.decoder == .native)
        #expect(a.samples == Self.ints.map { Float($0) / 32768 })
        let mono = (0..<4).map { i in (Float(Self.ints[2 * i]) / 32768 + Float(Self.ints[2 * i + 1]) / 32768) * 0.5 }
        #expect(a.mono() == mono)
    }

    @Test(arguments: [8, 24, 32])
    func integerWidths(bits: Int) throws {
        // The same 16-bit values, widened to `bits` (8-bit: the top byte, unsigned).
        var data: [UInt8] = []
        var expected: [Float] = []
        for v in Self.ints {
            switch bits {
            case 8:
                let b = UInt8(truncatingIfNeeded: (v >> 8) + 128)
                data.append(b)
                expected.append((Float(b) - 128) / 128)
            case 24:
                data += WAVBuilder.le(UInt64(UInt32(bitPattern: Int32(v * 256))), 3)
                expected.append(Float(v * 256) / 8_388_608)
            default:
                data += WAVBuilder.le(UInt64(UInt32(bitPattern: Int32(v) << 16 | 0x1234)), 4)
                expected.append(Float(Int32(v) << 16 | 0x1234) / 2_147_483_648)
            }
        }
        var w = WAVBuilder()
        w.add("fmt ", WAVBuilder.fmt(tag: 1, channels: 1, rate: 8000, bits: bits))
        w.add("data", data)
        #expect(try WAVDecoder.decode(w.bytes()).samples == expected)
    }

    @Test func floatsAndExtensible() throws {
        let values: [Float] = [0, 0.25, -0.5, 1, -1, 1.5, 1e-7]
        var w = WAVBuilder()
        w.add("fmt ", WAVBuilder.fmt(tag: 3, channels: 1, rate: 24000, bits: 32, extensibleSub: 3))
        w.add("data", values.flatMap { WAVBuilder.le(UInt64($0.bitPattern), 4) })
        #expect(try WAVDecoder.decode(w.bytes()).samples == values)
        var d = WAVBuilder()
        d.add("fmt ", WAVBuilder.fmt(tag: 3, channels: 1, rate: 24000, bits: 64))
        d.add("data", values.flatMap { WAVBuilder.le(Double($0).bitPattern, 8) })
        #expect(try WAVDecoder.decode(d.bytes()).samples == values)
    }

    @Test func oddChunkLayouts() throws {
        let pcm = Self.ints.flatMap { WAVBuilder.le(UInt64(UInt16(bitPattern: Int16($0))), 2) }
        let expected = Self.ints.map { Float($0) / 32768 }
        // LIST and an odd-sized junk chunk before fmt, fact after it, data before a trailing LIST.
        var w = WAVBuilder()
        w.add("LIST", Array("INFOISFT".utf8) + [5, 0, 0, 0] + Array("abcde".utf8))
        w.add("junk", [1, 2, 3])
        w.add("fmt ", WAVBuilder.fmt(tag: 1, channels: 1, rate: 16000, bits: 16))
        w.add("fact", WAVBuilder.le(8, 4))
        w.add("data", pcm)
        w.add("LIST", Array("INFO".utf8))
        #expect(try WAVDecoder.decode(w.bytes()).samples == expected)
        // The same odd chunk without its pad byte (some writers forget it).
        var u = WAVBuilder()
        u.add("junk", [1, 2, 3], pad: false)
        u.add("fmt ", WAVBuilder.fmt(tag: 1, channels: 1, rate: 16000, bits: 16))
        u.add("data", pcm)
        #expect(try WAVDecoder.decode(u.bytes()).samples == expected)
        // data before fmt.
        var r = WAVBuilder()
        r.add("data", pcm)
        r.add("fmt ", WAVBuilder.fmt(tag: 1, channels: 1, rate: 16000, bits: 16))
        #expect(try WAVDecoder.decode(r.bytes()).samples == expected)
    }

    @Test(arguments: [UInt32(0), 0xFFFF_FFFF, 1_000_000])
    func streamingDataSizes(size: UInt32) throws {
        var w = WAVBuilder()
        w.riffSize = size
        w.add("fmt ", WAVBuilder.fmt(tag: 1, channels: 1, rate: 24000, bits: 16))
        w.add("data", Self.ints.flatMap { WAVBuilder.le(UInt64(UInt16(bitPattern: Int16($0))), 2) }, size: size)
        #expect(try WAVDecoder.decode(w.bytes()).samples == Self.ints.map { Float($0) / 32768 })
    }

    @Test func emptyDataChunkFollowedByChunkIsEmpty() throws {
        var w = WAVBuilder()
        w.add("fmt ", WAVBuilder.fmt(tag: 1, channels: 1, rate: 24000, bits: 16))
        w.add("data", [])
        w.add("LIST", Array("INFO".utf8))
        #expect(try WAVDecoder.decode(w.bytes()).samples.isEmpty)
    }

    @Test func rf64() throws {
        let pcm = Self.ints.flatMap { WAVBuilder.le(UInt64(UInt16(bitPattern: Int16($0))), 2) }
        var w = WAVBuilder()
        w.riff = "RF64"
        w.riffSize = 0xFFFF_FFFF
        w.add(
            "ds64",
            WAVBuilder.le(UInt64(pcm.count + 60), 8) + WAVBuilder.le(UInt64(pcm.count), 8) + WAVBuilder.le(8, 8) + [
                0, 0, 0, 0,
            ])
        w.add("fmt ", WAVBuilder.fmt(tag: 1, channels: 1, rate: 24000, bits: 16))
        w.add("data", pcm, size: 0xFFFF_FFFF)
        w.add("LIST", Array("INFO".utf8))
        #expect(try WAVDecoder.decode(w.bytes()).samples == Self.ints.map { Float($0) / 32768 })
    }

    @Test func malformedAndUnsupported() throws {
        #expect(throws: AudioError.self) { try WAVDecoder.decode(Array("RIFF\u{0}\u{0}\u{0}\u{0}WAVE".utf8)) }
        var noData = WAVBuilder()
        noData.add("fmt ", WAVBuilder.fmt(tag: 1, channels: 1, rate: 24000, bits: 16))
        #expect(throws: AudioError.malformedInput(format: "WAV", detail: "no data chunk")) {
            try WAVDecoder.decode(noData.bytes())
        }
        var adpcm = WAVBuilder()
        adpcm.add("fmt ", WAVBuilder.fmt(tag: 2, channels: 1, rate: 24000, bits: 4))
        adpcm.add("data", [1, 2, 3, 4])
        do {
            _ = try WAVDecoder.decode(adpcm.bytes())
            Issue.record("ADPCM decoded natively")
        } catch let e as AudioError {
            guard case .unsupportedInput(let format, _) = e else { Issue.record("wrong error \(e)"); return }
            #expect(format.contains("0x2"))
        }
    }

    @Test func durationLimitIsCheckedBeforeDecoding() throws {
        var w = WAVBuilder()
        w.add("fmt ", WAVBuilder.fmt(tag: 1, channels: 1, rate: 1000, bits: 16))
        w.add("data", [UInt8](repeating: 0, count: 2 * 1500))
        #expect(throws: AudioError.audioTooLong(limitSeconds: 1)) {
            try WAVDecoder.decode(w.bytes(), limits: DecodeLimits(maxSeconds: 1))
        }
        #expect(try WAVDecoder.decode(w.bytes(), limits: DecodeLimits(maxSeconds: 1.5)).frameCount == 1500)
    }

    /// Files written by sox (8/24/32-bit, float 32/64, A-law, µ-law; 24-bit is WAVE_FORMAT_EXTENSIBLE) and by ffmpeg
    /// to a pipe (unknown sizes) decode to the 16-bit reference within each encoding's quantisation step.
    @Test(arguments: [
        ("tone-u8.wav", 1.0 / 128), ("tone-s24.wav", 1e-6), ("tone-s32.wav", 1e-6), ("tone-f32.wav", 1e-6),
        ("tone-f64.wav", 1e-6), ("tone-alaw.wav", 0.016), ("tone-ulaw.wav", 0.016), ("tone-pipe.wav", 0),
    ])
    func realWriters(file: String, tolerance: Double) throws {
        let reference = try WAVDecoder.decode(try Fixture.bytes("codec/tone-s16.wav"))
        let a = try WAVDecoder.decode(try Fixture.bytes("codec/" + file))
        #expect(a.sampleRate == 24000 && a.channels == 1 && a.frameCount == reference.frameCount)
        let err = zip(a.samples, reference.samples).map { abs(Double($0) - Double($1)) }.max() ?? 1
        #expect(err <= tolerance + 1.0 / 32768, "max error \(err)")
    }
}
