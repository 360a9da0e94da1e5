import Foundation
import Testing

@testable import VVAudio

@Suite(.serialized) struct AudioDecoderTests {
    static func reference() throws -> [Float] { try WAVDecoder.decode(try Fixture.bytes("codec/tone-s16.wav")).samples }

    /// Real files written by the codecs themselves decode to the 440 Hz reference tone.
    @Test(arguments: [
        ("tone.flac", DecoderBackend.libsndfile), ("tone.ogg", .libsndfile), ("tone.opus", .libsndfile),
        ("tone.mp3", .libsndfile), ("tone.m4a", .ffmpeg), ("tone.webm", .ffmpeg), ("tone.aac", .ffmpeg),
        ("tone-adpcm.wav", .libsndfile),
    ])
    func decodesRealFiles(file: String, backend: DecoderBackend) throws {
        guard backend == .ffmpeg ? Backends.hasFFmpeg : Backends.hasSndfile else { return }
        let a = try AudioDecoder.decode(bytes: try Fixture.bytes("codec/" + file), backends: Backends.system)
        #expect(a.decoder == backend)
        let mono = try Resampler.resample(a.mono(), from: a.sampleRate, to: 24000)
        #expect(abs(mono.count - 12000) <= 2200, "\(file): \(mono.count) samples")
        let f = Signal.dominantFrequency(mono, rate: 24000, lo: 400, hi: 480)
        #expect(abs(f - 440) < 2, "\(file): \(f) Hz")
        if file.hasSuffix("flac") { #expect(a.samples == (try Self.reference())) }
    }

    /// A VBR MP3 written to a pipe (no Xing/Info header) decodes fully through libsndfile.
    ///
    /// libsndfile alone would stop at a length guessed from the first (loud, high-rate) frames; the frame scan
    /// catches that and the whole 3 s come out.
    @Test func vbrMP3WithoutInfoHeaderDecodesFully() throws {
        let bytes = try Fixture.bytes("codec/vbr-pipe.mp3")
        let scanned = bytes.withUnsafeBufferPointer { MP3FrameScanner.sampleCount($0) }
        #expect(scanned >= 72000 && scanned <= 74000, "frame scan: \(scanned)")
        guard Backends.hasSndfile, let lib = Backends.sndfile else { return }
        let only = AudioBackends(sndfile: .success(lib), ffmpeg: AudioBackends.nativeOnly.ffmpeg)
        let a = try AudioDecoder.decode(bytes: bytes, backends: only)
        #expect(a.decoder == .libsndfile)
        #expect(abs(a.duration - 3.0) < 0.1, "decoded \(a.duration) s")
        #expect(Signal.rms(a.samples[2000..<22000]) > 0.05, "the noise is missing")
        #expect(Signal.rms(a.samples[30000...]) < 0.01, "the silence is not silent")
    }

    @Test func prepareForModelGives24kMonoNormalised() throws {
        let bytes = try Fixture.bytes("codec/tone-44k-stereo.wav")
        let x = try AudioDecoder.prepareForModel(bytes: bytes, backends: .nativeOnly)
        #expect(x.count == (22050 * 24000 + 44099) / 44100)
        // Same as the steps done one by one.
        let decoded = try AudioDecoder.decode(bytes: bytes, backends: .nativeOnly)
        #expect(decoded.sampleRate == 44100 && decoded.channels == 2)
        let manual = LoudnessNormalizer.normalized(try Resampler.resample(decoded.mono(), from: 44100, to: 24000))
        #expect(x == manual)
        #expect(abs(20 * log10(Signal.rms(x[...])) - -25) < 0.05)
        let raw = try AudioDecoder.prepareForModel(bytes: bytes, backends: .nativeOnly, normalize: false)
        #expect(abs(Signal.amplitude(raw, at: 440, rate: 24000, from: 1000, to: 11000) - 0.5) < 0.01)
    }

    /// Without libsndfile or ffmpeg, WAV still works and other formats fail naming the format and the remedy.
    @Test func withoutBackendsErrorsNameFormatAndRemedy() throws {
        for (file, name) in [("tone.mp3", "MP3"), ("tone.m4a", "MP4/M4A"), ("tone.opus", "Ogg Opus")] {
            do {
                _ = try AudioDecoder.decode(bytes: try Fixture.bytes("codec/" + file), backends: .nativeOnly)
                Issue.record("\(file) decoded without back ends")
            } catch let e as AudioError {
                guard case .unsupportedInput(let format, let remedy) = e else { Issue.record("\(e)"); continue }
                #expect(format == name)
                #expect(remedy.contains("ffmpeg"))
                #expect(e.isClientError)
                #expect(e.description.contains(name))
            }
        }
        #expect(throws: AudioError.emptyInput) { try AudioDecoder.decode(bytes: [], backends: .nativeOnly) }
        #expect(throws: AudioError.inputTooLarge(bytes: 24044, limit: 1000)) {
            try AudioDecoder.decode(
                bytes: try Fixture.bytes("codec/tone-s16.wav"), limits: DecodeLimits(maxBytes: 1000))
        }
        let missing = AudioBackends(
            sndfile: SndFileLibrary.load(candidates: ["/nonexistent/libsndfile.so.1"]),
            ffmpeg: FFmpegTool.locate(configured: "/nonexistent/ffmpeg"))
        #expect(missing.summary.contains("/nonexistent/libsndfile.so.1"))
        #expect(
            try AudioDecoder.decode(bytes: try Fixture.bytes("codec/tone-s16.wav"), backends: missing).frameCount
                == 12000)
    }

    /// The duration limit stops libsndfile and ffmpeg decodes while they run.
    @Test func durationLimitDuringCompressedDecode() throws {
        let limits = DecodeLimits(maxSeconds: 0.2)
        if Backends.hasSndfile {
            #expect(throws: AudioError.audioTooLong(limitSeconds: 0.2)) {
                try AudioDecoder.decode(
                    bytes: try Fixture.bytes("codec/tone.mp3"), limits: limits, backends: Backends.system)
            }
        }
        if Backends.hasFFmpeg {
            #expect(throws: AudioError.audioTooLong(limitSeconds: 0.2)) {
                try AudioDecoder.decode(
                    bytes: try Fixture.bytes("codec/tone.m4a"), limits: limits, backends: Backends.system)
            }
        }
    }

    /// ffmpeg runs with a time limit and its temporary upload file is always removed.
    @Test func ffmpegTimeoutAndTempFiles() throws {
        guard Backends.hasFFmpeg else { return }
        let tmp = FileManager.default.temporaryDirectory.path
        func uploads() -> Int {
            ((try? FileManager.default.contentsOfDirectory(atPath: tmp)) ?? []).filter {
                $0.hasPrefix("vibevoice-upload-")
            }.count
        }
        let before = uploads()
        let m4a = try Fixture.bytes("codec/tone.m4a")
        _ = try AudioDecoder.decode(bytes: m4a, backends: Backends.system)
        #expect(throws: AudioError.timedOut(backend: "ffmpeg", seconds: 0.0001)) {
            try AudioDecoder.decode(
                bytes: m4a, limits: DecodeLimits(ffmpegTimeoutSeconds: 0.0001), backends: Backends.system)
        }
        // Garbage routed to ffmpeg fails with its message.
        do {
            _ = try AudioDecoder.decode(
                bytes: [0, 0, 0, 0x20] + Array("ftypM4A ".utf8) + [UInt8](repeating: 7, count: 500),
                backends: Backends.system)
            Issue.record("garbage decoded")
        } catch let e as AudioError {
            #expect(e.description.contains("MP4/M4A"))
            #expect(!e.description.contains("vibevoice-upload-"), "temporary path leaked: \(e)")
        }
        #expect(uploads() == before)
    }

    /// The upstream recordings decode (when this checkout has ../shared/data/asr).
    @Test func upstreamRecordings() throws {
        // The checkout sits beside shared/ (Tests/VVAudioTests/this file → repo → ../shared/data/asr).
        let dir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/data/asr").path
        guard Backends.hasSndfile else { return }
        guard let files = try? FileManager.default.contentsOfDirectory(atPath: dir) else {
            print("SKIPPED: \(dir) not present")
            return
        }
        for f in files where f.hasSuffix(".wav") || f.hasSuffix(".mp3") {
            let bytes = [UInt8](FileManager.default.contents(atPath: dir + "/" + f) ?? Data())
            let a = try AudioDecoder.decode(bytes: bytes, backends: Backends.system)
            #expect(a.duration > 1, "\(f)")
            #expect(Signal.rms(a.samples[...]) > 0.001, "\(f) is silent")
        }
    }
}

@Suite struct ConcurrentDecodeTests {
    /// Concurrent decodes through every back end give the same samples as serial ones.
    @Test func concurrentEqualsSerial() async throws {
        var files = ["tone-s16.wav", "tone-44k-stereo.wav"]
        if Backends.hasSndfile { files += ["tone.flac", "tone.mp3", "tone.opus", "tone.ogg"] }
        if Backends.hasFFmpeg { files += ["tone.m4a", "tone.webm"] }
        let inputs = try files.map { try Fixture.bytes("codec/" + $0) }
        let serial = try inputs.map { try AudioDecoder.prepareForModel(bytes: $0, backends: Backends.system) }
        let parallel = try await withThrowingTaskGroup(of: (Int, [Float]).self) { group in
            for _ in 0..<3 {
                for (i, bytes) in inputs.enumerated() {
                    group.addTask { (i, try AudioDecoder.prepareForModel(bytes: bytes, backends: Backends.system)) }
                }
            }
            var results: [(Int, [Float])] = []
            for try await r in group { results.append(r) }
            return results
        }
        #expect(parallel.count == 3 * inputs.count)
        for (i, samples) in parallel { #expect(samples == serial[i], "\(files[i]) differs when decoded concurrently") }
    }
}
