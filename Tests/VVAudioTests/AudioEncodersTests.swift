import Foundation
import Testing

@testable import VVAudio

@Suite struct AudioEncodersTests {
    static let tone = Signal.tone(440, rate: 24000, count: 24000, amplitude: 0.5)

    static func encode(_ format: AudioFormat, _ samples: [Float], chunk: Int = 2400, backends: AudioBackends, streaming: Bool = true) throws -> [UInt8] {
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
            let (_, corr) = Signal.bestAlignment(Array(Self.tone[2000..<20000]), Array(mono[2000..<min(mono.count, 22000)]), maxLag: 1500)
            #expect(corr > 0.98, "\(format) correlation \(corr)")
        }
    }

    /// Streaming encoders emit bytes before the end (the codec frames as they complete).
    @Test(arguments: [AudioFormat.flac, .mp3, .opus, .aac, .wav, .pcm])
    func bytesFlowBeforeFinish(format: AudioFormat) throws {
        guard format == .aac ? Backends.hasFFmpeg : (format == .wav || format == .pcm || Backends.hasSndfile) else { return }
        var e = try AudioEncoders.make(format, sampleRate: 24000, channels: 1, backends: Backends.system)
        var early = 0
        for k in 0..<20 {
            early += try e.encode(Array(Self.tone[(k * 1200)..<((k + 1) * 1200)])).count
            if format == .aac && early == 0 { Thread.sleep(forTimeInterval: 0.02) }
        }
        _ = try e.finish()
        #expect(early > 0, "\(format) held every byte until finish")
    }
}
