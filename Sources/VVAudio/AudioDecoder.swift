/// Decodes any upload: WAV natively, FLAC/Ogg/MP3 (and AIFF/CAF/AU) through libsndfile, the rest through ffmpeg.
///
/// The format is recognised from the bytes (`FormatSniffer`), never from a file name. Limits are enforced while
/// decoding. When nothing here can decode the input, the error names the detected format and what would decode it.
public enum AudioDecoder {
    /// Decodes `bytes` to interleaved float samples at the source rate and channel count.
    public static func decode(
        bytes: [UInt8], limits: DecodeLimits = DecodeLimits(), backends: AudioBackends = .system
    ) throws -> DecodedAudio {
        var result: DecodedAudio?
        try run(bytes: bytes, limits: limits, backends: backends) { format, backend in
            let (sink, collector) = SampleSink.collecting(limits: limits)
            return (
                sink,
                {
                    result = DecodedAudio(
                        samples: collector.samples, sampleRate: sink.sampleRate, channels: sink.channels,
                        format: format,
                        decoder: backend)
                }
            )
        }
        guard let result else { throw AudioError.emptyInput }
        return result
    }

    /// Decodes `bytes` and returns the 24 kHz mono float32 signal the VibeVoice models take, down-mixed while
    /// decoding, resampled with `Resampler` and, when `normalize` is true, set to −25 dBFS by `LoudnessNormalizer`.
    public static func prepareForModel(
        bytes: [UInt8], limits: DecodeLimits = DecodeLimits(), backends: AudioBackends = .system,
        normalize: Bool = true, sampleRate: Int = 24_000
    ) throws -> [Float] {
        var output: [Float] = []
        try run(bytes: bytes, limits: limits, backends: backends) { _, _ in
            var resampler: Resampler?
            var out: [Float] = []
            var mono: [Float] = []
            let sink = SampleSink(limits: limits) { rate, _, hint in
                let r = try Resampler(from: rate, to: sampleRate)
                if let hint { out.reserveCapacity(r.outputCount(forInput: hint) + 16) }
                resampler = r
            } handler: { block, channels in
                if channels == 1 {
                    mono.removeAll(keepingCapacity: true)
                    mono.append(contentsOf: block)
                } else {
                    let frames = block.count / channels
                    mono = [Float](unsafeUninitializedCapacity: frames) { buf, n in
                        ChannelMixer.downmix(block, channels: channels, into: buf.baseAddress)
                        n = frames
                    }
                }
                out += resampler?.process(mono) ?? []
            }
            return (
                sink,
                {
                    out += resampler?.flush() ?? []
                    output = out
                }
            )
        }
        if normalize { LoudnessNormalizer.normalize(&output) }
        return output
    }

    /// A fresh sink for one decode attempt, and what to do when that attempt succeeds.
    typealias Attempt = (InputFormat, DecoderBackend) throws -> (SampleSink, () -> Void)

    /// Tries the decoders that suit the detected format in order until one succeeds.
    static func run(bytes: [UInt8], limits: DecodeLimits, backends: AudioBackends, attempt: Attempt) throws {
        if bytes.isEmpty { throw AudioError.emptyInput }
        if bytes.count > limits.maxBytes { throw AudioError.inputTooLarge(bytes: bytes.count, limit: limits.maxBytes) }
        try bytes.withUnsafeBufferPointer { b in
            let format = FormatSniffer.detect(b)
            var lastError: AudioError?
            var missing: [String] = []
            for backend in plan(for: format) {
                let (sink, done) = try attempt(format, backend)
                do {
                    switch backend {
                    case .native:
                        try WAVDecoder.decode(b, into: sink)
                    case .libsndfile:
                        switch backends.sndfile {
                        case .failure(let why):
                            missing.append("libsndfile (\(why))")
                            continue
                        case .success(let lib):
                            try SndFileDecoder(library: lib).decode(b, format: format, into: sink)
                        }
                    case .ffmpeg:
                        switch backends.ffmpeg {
                        case .failure(let why):
                            missing.append("ffmpeg (\(why))")
                            continue
                        case .success(let tool):
                            try tool.decode(b, format: format, into: sink)
                        }
                    }
                    guard sink.started else {
                        throw AudioError.malformedInput(format: format.displayName, detail: "no audio")
                    }
                    done()
                    return
                } catch let e as AudioError {
                    switch e {
                    case .audioTooLong, .inputTooLarge, .timedOut: throw e
                    default: break
                    }
                    if sink.frames > 0 { throw e }  // part of the audio was already passed on: no retry
                    // The Swift WAV parser's diagnosis is the most specific one; otherwise keep the latest.
                    if backend == .native || lastError.map({ !Self.isNativeWAVError($0) }) ?? true { lastError = e }
                }
            }
            if let lastError { throw lastError }
            throw AudioError.unsupportedInput(
                format: format.displayName, remedy: "it needs " + missing.joined(separator: " or "))
        }
    }

    private static func isNativeWAVError(_ e: AudioError) -> Bool {
        if case .malformedInput(let format, _) = e { return format == "WAV" }
        return false
    }

    /// The decoders to try for `format`, best first.
    static func plan(for format: InputFormat) -> [DecoderBackend] {
        switch format {
        case .wav: [.native, .libsndfile, .ffmpeg]
        case .flac, .oggVorbis, .oggOpus, .oggOther, .mp3, .aiff, .caf, .au: [.libsndfile, .ffmpeg]
        case .aacADTS, .mp4, .matroska, .mpegStream, .amr: [.ffmpeg]
        case .unknown: [.libsndfile, .ffmpeg]
        }
    }
}
