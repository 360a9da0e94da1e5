import Foundation
import Testing

@testable import VVAudio

@Suite struct AudioEncodersTests {
    static let tone = Signal.tone(440, rate: 24000, count: 24000, amplitude: 0.5)

    static func encode(
        _ format: AudioFormat, _ samples: [Float], chunk: Int = 2400, backends: AudioBackends, streaming: Bool = true
    ) throws -> [UInt8] {
        var e = try AudioEncoders.make(format, sampleRate: 24000, channels: 1, backends: backends, streaming: streaming)
        #expect(e.format == format)
        var out: [UInt8] = []
        var i = 0
        while i < samples.count {
            out += try e.encode(Array(samples[i..<min(samples.count, i + chunk)]))
            i += chunk
        }
        return out + (try e.finish())
    }

    @Test func wavAndPCMWorkWithoutAnyLibrary() throws {
        let wav = try Self.encode(.wav, Self.tone, backends: .nativeOnly)
        #expect(Array(wav[0..<4]) == Array("RIFF".utf8) && wav.count == 44 + 48000)
        let decoded = try AudioDecoder.decode(bytes: wav, backends: .nativeOnly)
        #expect(decoded.sampleRate == 24000 && decoded.frameCount == 24000)
        let err = zip(decoded.samples, Self.tone).map { abs($0 - $1) }.max() ?? 1
        #expect(err <= 1.0 / 32767)
        let pcm = try Self.encode(.pcm, Self.tone, backends: .nativeOnly)
        #expect(pcm == Array(wav[44...]))
        // An empty stream is still a valid WAV file.
        var e = try AudioEncoders.make(.wav, sampleRate: 24000)
        #expect(try e.finish().count == 44)
        #expect(AudioEncoders.availableFormats(backends: .nativeOnly) == [.wav, .pcm])
        // The whole-file variant carries the real sizes.
        let file = try Self.encode(.wav, Self.tone, backends: .nativeOnly, streaming: false)
        #expect(file.count == wav.count && Array(file[44...]) == Array(wav[44...]))
        #expect(Array(file[4..<8]) == [0xA4, 0xBB, 0x00, 0x00] && Array(file[40..<44]) == [0x80, 0xBB, 0x00, 0x00])
    }

    /// Without the codec library or executable the request fails with the reason, never other bytes.
    @Test(arguments: [AudioFormat.mp3, .opus, .flac, .aac])
    func unavailableFormatsFailClearly(format: AudioFormat) {
        do {
            _ = try AudioEncoders.make(format, sampleRate: 24000, channels: 1, backends: .nativeOnly)
            Issue.record("\(format) encoder made without back ends")
        } catch let e as AudioError {
            guard case .encoderUnavailable(let f, let reason) = e else { Issue.record("\(e)"); return }
            #expect(f == format)
            #expect(reason.contains(format == .aac ? "ffmpeg" : "libsndfile"))
        } catch { Issue.record("\(error)") }
        #expect(AudioEncoders.unavailableReason(format, backends: .nativeOnly) != nil)
    }

    /// Encode → decode round trips through the real codecs; lossless exact to 16 bits, lossy keeps the tone.
    @Test(arguments: [AudioFormat.flac, .mp3, .opus, .aac])
    func roundTrips(format: AudioFormat) throws {
        guard format == .aac ? Backends.hasFFmpeg : Backends.hasSndfile else { return }
        for streaming in [true, false] {
            let bytes = try Self.encode(format, Self.tone, backends: Backends.system, streaming: streaming)
            let expected: InputFormat = [.flac: .flac, .mp3: .mp3, .opus: .oggOpus, .aac: .aacADTS][format] ?? .unknown
            #expect(FormatSniffer.detect(bytes) == expected)
            let a = try AudioDecoder.decode(bytes: bytes, backends: Backends.system)
            let mono = try Resampler.resample(a.mono(), from: a.sampleRate, to: 24000)
            if format == .flac {
                #expect(a.frameCount == 24000)
                let err = zip(mono, Self.tone).map { abs($0 - $1) }.max() ?? 1
                #expect(err <= 1.0 / 32767, "flac error \(err)")
                continue
            }
            // Lossy: length within codec delay/padding, same tone, same level, waveform aligned after the delay.
            #expect(abs(mono.count - 24000) <= 3000, "\(format) decoded \(mono.count) samples")
            let f = Signal.dominantFrequency(mono, rate: 24000, lo: 400, hi: 480)
            #expect(abs(f - 440) < 2, "\(format) tone at \(f) Hz")
            let a440 = Signal.amplitude(mono, at: 440, rate: 24000, from: 4000, to: min(mono.count, 20000))
            #expect(abs(20 * log10(a440 / 0.5)) < 1, "\(format) level \(a440)")
            let (_, corr) = Signal.bestAlignment(
                Array(Self.tone[2000..<20000]), Array(mono[2000..<min(mono.count, 22000)]), maxLag: 1500)
            #expect(corr > 0.98, "\(format) correlation \(corr)")
        }
    }

    /// Streaming encoders emit bytes before the end (the codec frames as they complete).
    @Test(arguments: [AudioFormat.flac, .mp3, .opus, .aac, .wav, .pcm])
    func bytesFlowBeforeFinish(format: AudioFormat) throws {
        guard format == .aac ? Backends.hasFFmpeg : (format == .wav || format == .pcm || Backends.hasSndfile) else {
            return
        }
        var e = try AudioEncoders.make(format, sampleRate: 24000, channels: 1, backends: Backends.system)
        var early = 0
        for k in 0..<20 {
            early += try e.encode(Array(Self.tone[(k * 1200)..<((k + 1) * 1200)])).count
            if format == .aac && early == 0 { Thread.sleep(forTimeInterval: 0.02) }
        }
        // A slow machine may still be starting ffmpeg: give it up to 5 s before calling it held back.
        let deadline = Date().addingTimeInterval(5)
        while format == .aac && early == 0 && Date() < deadline {
            Thread.sleep(forTimeInterval: 0.05)
            early += try e.encode([]).count
        }
        _ = try e.finish()
        #expect(early > 0, "\(format) held every byte until finish")
    }
}

@Suite struct SpeechOutputEncoderTests {
    @Test func speedThenEncode() throws {
        var e = try SpeechOutputEncoder(format: .pcm, speed: 2, backends: .nativeOnly)
        #expect(e.contentType == "audio/pcm")
        let tone = Signal.tone(440, rate: 24000, count: 24000)
        var bytes: [UInt8] = []
        for k in 0..<10 { bytes += try e.encode(Array(tone[(k * 2400)..<((k + 1) * 2400)])) }
        bytes += try e.finish()
        #expect(bytes.count == 2 * 12000)
        #expect(throws: AudioError.self) { try SpeechOutputEncoder(format: .wav, speed: 5, backends: .nativeOnly) }
        #expect(throws: AudioError.self) { try SpeechOutputEncoder(format: .mp3, backends: .nativeOnly) }
        #expect(AudioError.unsupportedInput(format: "x", remedy: "y").suggestedHTTPStatus == 415)
        #expect(AudioError.inputTooLarge(bytes: 2, limit: 1).suggestedHTTPStatus == 413)
    }
}

@Suite struct MultiChannelEncoderTests {
    /// Stereo at other rates, as `vibevoice audio convert` writes them: WAV natively, FLAC through libsndfile.
    @Test func stereoRoundTrips() throws {
        let left = Signal.tone(440, rate: 44100, count: 4410), right = Signal.tone(660, rate: 44100, count: 4410)
        let interleaved = zip(left, right).flatMap { [$0, $1] }
        var formats: [AudioFormat] = [.wav]
        if Backends.hasSndfile { formats.append(.flac) }
        for format in formats {
            var e = try AudioEncoders.make(
                format, sampleRate: 44100, channels: 2, backends: Backends.system, streaming: false)
            let bytes = try e.encode(interleaved) + e.finish()
            let a = try AudioDecoder.decode(bytes: bytes, backends: Backends.system)
            #expect(a.sampleRate == 44100 && a.channels == 2 && a.frameCount == 4410, "\(format)")
            let err = zip(a.samples, interleaved).map { abs($0 - $1) }.max() ?? 1
            #expect(err <= 1.0 / 32767, "\(format) error \(err)")
        }
    }

    @Test func codecRateRules() throws {
        guard Backends.hasSndfile else { return }
        #expect(throws: AudioError.self) {
            try AudioEncoders.make(.opus, sampleRate: 44100, channels: 1, backends: Backends.system)
        }
        for (format, rate) in [(AudioFormat.opus, 48000), (.mp3, 44100), (.mp3, 16000), (.flac, 96000)] {
            var e = try AudioEncoders.make(format, sampleRate: rate, channels: 1, backends: Backends.system)
            let bytes = try e.encode(Signal.tone(440, rate: rate, count: rate / 2)) + e.finish()
            let a = try AudioDecoder.decode(bytes: bytes, backends: Backends.system)
            #expect(a.sampleRate == rate, "\(format) at \(rate) Hz decoded at \(a.sampleRate) Hz")
        }
    }
}
