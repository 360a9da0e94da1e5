import Foundation
import Testing

@testable import VVAudio

@Suite struct FormatSnifferTests {
    @Test(arguments: [
        ("tone-s16.wav", InputFormat.wav), ("tone-s24.wav", .wav), ("tone-pipe.wav", .wav), ("tone.flac", .flac),
        ("tone.ogg", .oggVorbis), ("tone.opus", .oggOpus), ("tone.mp3", .mp3), ("tone.m4a", .mp4),
        ("tone.webm", .matroska), ("tone.aac", .aacADTS),
    ])
    func detectsRealFiles(file: String, format: InputFormat) throws {
        #expect(FormatSniffer.detect(try Fixture.bytes("codec/" + file)) == format)
    }

    @Test func detectsHeadersAndSkipsID3() {
        #expect(FormatSniffer.detect(Array("FORM\u{0}\u{0}\u{0}\u{0}AIFF".utf8)) == .aiff)
        #expect(FormatSniffer.detect(Array("caff....".utf8)) == .caf)
        #expect(FormatSniffer.detect(Array(".snd....".utf8)) == .au)
        #expect(FormatSniffer.detect([0x1A, 0x45, 0xDF, 0xA3, 0]) == .matroska)
        #expect(FormatSniffer.detect([0, 0, 1, 0xBA, 0]) == .mpegStream)
        // ID3v2 tag of 5 bytes, then an MPEG-1 layer III frame header.
        let id3 = Array("ID3".utf8) + [4, 0, 0, 0, 0, 0, 5] + [0, 0, 0, 0, 0] + [0xFF, 0xFB, 0x90, 0x64, 0]
        #expect(FormatSniffer.detect(id3) == .mp3)
        let id3flac = Array("ID3".utf8) + [4, 0, 0, 0, 0, 0, 2] + [0, 0] + Array("fLaC....".utf8)
        #expect(FormatSniffer.detect(id3flac) == .flac)
        #expect(FormatSniffer.detect(Array("hello world".utf8)) == .unknown)
        #expect(FormatSniffer.detect([]) == .unknown)
        #expect(FormatSniffer.detect([0xFF]) == .unknown)
    }

    /// Arbitrary bytes, and valid headers with random damage, never crash, hang or allocate without bound in the
    /// sniffer or the WAV parser: every call returns or throws, and decoded output never exceeds what the input holds.
    @Test func fuzzSnifferAndWAVParser() throws {
        var rng = SplitMix(state: 42)
        let seeds = try ["tone-s16.wav", "tone-s24.wav", "tone-pipe.wav", "tone-f64.wav"].map {
            Array(try Fixture.bytes("codec/" + $0).prefix(600))
        }
        let start = Date()
        for iteration in 0..<4000 {
            var bytes: [UInt8]
            if iteration % 2 == 0 {
                bytes = (0..<Int.random(in: 0..<300, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
                if iteration % 4 == 0 && bytes.count >= 12 {
                    bytes.replaceSubrange(0..<4, with: Array("RIFF".utf8))
                    bytes.replaceSubrange(8..<12, with: Array("WAVE".utf8))
                }
            } else {
                bytes = seeds[iteration % seeds.count]
                for _ in 0..<Int.random(in: 1...8, using: &rng) {
                    let i = Int.random(in: 0..<min(bytes.count, 80), using: &rng)
                    bytes[i] = UInt8.random(in: 0...255, using: &rng)
                }
                bytes = Array(bytes.prefix(Int.random(in: 0...bytes.count, using: &rng)))
            }
            _ = FormatSniffer.detect(bytes)
            if let a = try? WAVDecoder.decode(bytes, limits: DecodeLimits(maxSeconds: 3600)) {
                // At most one float per input byte (8-bit samples), never more.
                #expect(a.samples.count <= bytes.count)
            }
            if let a = try? AudioDecoder.decode(bytes: bytes, backends: .nativeOnly) {
                #expect(a.samples.count <= bytes.count)
            }
        }
        #expect(Date().timeIntervalSince(start) < 60)
    }

    /// Damaged FLAC/Ogg/MP3 files through libsndfile: every call returns or throws, within the duration limit.
    @Test func fuzzCompressedThroughLibsndfile() throws {
        guard Backends.hasSndfile, let lib = Backends.sndfile else { return }
        let backends = AudioBackends(sndfile: .success(lib), ffmpeg: AudioBackends.nativeOnly.ffmpeg)
        var rng = SplitMix(state: 7)
        let seeds = try ["tone.flac", "tone.ogg", "tone.opus", "tone.mp3"].map { try Fixture.bytes("codec/" + $0) }
        for iteration in 0..<400 {
            var bytes = seeds[iteration % seeds.count]
            for _ in 0..<Int.random(in: 1...6, using: &rng) {
                let i = Int.random(in: 0..<min(bytes.count, 200), using: &rng)
                bytes[i] = UInt8.random(in: 0...255, using: &rng)
            }
            bytes = Array(bytes.prefix(Int.random(in: 1...bytes.count, using: &rng)))
            if let a = try? AudioDecoder.decode(bytes: bytes, limits: DecodeLimits(maxSeconds: 5), backends: backends) {
                #expect(a.duration <= 5)
            }
        }
    }
}
