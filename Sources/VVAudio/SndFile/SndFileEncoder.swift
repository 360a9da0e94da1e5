/// A streaming encoder for FLAC, MP3 or Ogg Opus through libsndfile; bytes come out as the codec completes frames.
///
/// In streaming use the FLAC STREAMINFO keeps "total samples unknown" and the MP3 info frame stays a placeholder,
/// because libsndfile rewrites those at close, after the first bytes have been sent (see `SndFileVirtualIO`).
public struct SndFileEncoder: StreamingAudioEncoder {
    /// The format written.
    public let format: AudioFormat
    /// Samples per second.
    public let sampleRate: Int
    /// Interleaved channels per frame.
    public let channels: Int
    private let writer: Writer

    /// Opens an encoder; throws `encoderUnavailable` when libsndfile refuses the format/rate combination.
    ///
    /// With `streaming` false every byte is held until `finish`, so the headers libsndfile completes at close
    /// (FLAC total length and MD5, the MP3 info frame) are right; with `streaming` true bytes leave as produced.
    /// `compressionLevel` (0 best quality … 1 smallest) defaults to `defaultCompressionLevel(format)`.
    public init(
        library: SndFileLibrary, format: AudioFormat, sampleRate: Int, channels: Int = 1,
        compressionLevel: Double? = nil, streaming: Bool = true
    ) throws {
        let major: Int32, sub: Int32
        switch format {
        case .flac: (major, sub) = (SndFileLibrary.formatFLAC, SndFileLibrary.subtypePCM16)
        case .mp3: (major, sub) = (SndFileLibrary.formatMPEG, SndFileLibrary.subtypeMP3)
        case .opus: (major, sub) = (SndFileLibrary.formatOGG, SndFileLibrary.subtypeOpus)
        case .wav: (major, sub) = (SndFileLibrary.formatWAV, SndFileLibrary.subtypePCM16)
        case .aac, .pcm:
            throw AudioError.encoderUnavailable(format: format, reason: "libsndfile does not write \(format.rawValue)")
        }
        if format == .opus && ![8000, 12000, 16000, 24000, 48000].contains(sampleRate) {
            throw AudioError.encoderUnavailable(
                format: format, reason: "Opus needs a rate of 8, 12, 16, 24 or 48 kHz, not \(sampleRate) Hz")
        }
        self.format = format
        self.sampleRate = sampleRate
        self.channels = channels
        writer = try Writer(
            library: library, format: format, code: major | sub, sampleRate: sampleRate, channels: channels,
            compressionLevel: compressionLevel, streaming: streaming)
    }

    /// The compression level used when none is given.
    ///
    /// mp3 0.5 (80 kb/s CBR at 24 kHz mono; libsndfile's own default gives 32 kb/s), opus 0.8 (about 58 kb/s),
    /// flac libsndfile's default. Measured with libsndfile 1.2.0.
    public static func defaultCompressionLevel(_ format: AudioFormat) -> Double? {
        switch format {
        case .mp3: 0.5
        case .opus: 0.8
        default: nil
        }
    }

    /// Encodes `samples` (interleaved when `channels > 1`); returns the bytes the codec has completed.
    public mutating func encode(_ samples: [Float]) throws -> [UInt8] {
        try writer.write(samples)
    }

    /// Flushes the codec and closes the stream; returns the remaining bytes.
    public mutating func finish() throws -> [UInt8] {
        try writer.finish()
    }

    /// Owns the libsndfile handle; closes it if the encoder is dropped unfinished.
    private final class Writer {
        let library: SndFileLibrary
        let format: AudioFormat
        let channels: Int
        let streaming: Bool
        let io = SndFileVirtualIO()
        let callbacks = SndFileVirtualIO.makeCallbacks()
        var handle: OpaquePointer?

        init(
            library: SndFileLibrary, format: AudioFormat, code: Int32, sampleRate: Int, channels: Int,
            compressionLevel: Double?, streaming: Bool
        ) throws {
            self.library = library
            self.streaming = streaming
            self.format = format
            self.channels = channels
            var info = SndFileInfo(frames: 0, sampleRate: Int32(sampleRate), channels: Int32(channels), format: code)
            let io = self.io, callbacks = self.callbacks
            handle = info.withCStruct { library.openVirtual(callbacks, SndFileLibrary.modeWrite, $0, io.userData) }
            guard let handle else {
                let why = library.errorMessage(nil)
                callbacks.deallocate()
                throw AudioError.encoderUnavailable(
                    format: format,
                    reason: "libsndfile (\(library.version)) cannot write it at \(sampleRate) Hz: \(why)")
            }
            var yes: Int32 = 1
            _ = library.command(handle, SndFileLibrary.commandSetClipping, &yes, 4)
            if format == .mp3 {
                // Constant bit rate: the stream's length is then right even when the info frame cannot be
                // rewritten (streaming), and decoders that estimate length from the first frame are not misled.
                var mode: Int32 = SndFileLibrary.bitrateModeConstant
                _ = library.command(handle, SndFileLibrary.commandSetBitrateMode, &mode, 4)
            }
            if var level = compressionLevel ?? SndFileEncoder.defaultCompressionLevel(format) {
                _ = library.command(handle, SndFileLibrary.commandSetCompressionLevel, &level, 8)
            }
        }

        deinit {
            if let handle { _ = library.close(handle) }
            callbacks.deallocate()
        }

        func write(_ samples: [Float]) throws -> [UInt8] {
            guard let handle else {
                throw AudioError.backendFailed(backend: "libsndfile", detail: "encoder already finished")
            }
            let frames = samples.count / channels
            if frames > 0 {
                let written = samples.withUnsafeBufferPointer {
                    library.writeFloat(handle, $0.baseAddress, Int64(frames))
                }
                if written != Int64(frames) {
                    throw AudioError.backendFailed(
                        backend: "libsndfile",
                        detail: "\(format.rawValue) write failed: \(library.errorMessage(handle))")
                }
            }
            return streaming ? io.take() : []
        }

        func finish() throws -> [UInt8] {
            guard let h = handle else { return [] }
            handle = nil
            let rc = library.close(h)
            if rc != 0 {
                throw AudioError.backendFailed(backend: "libsndfile", detail: "\(format.rawValue) close failed (\(rc))")
            }
            return io.take()
        }
    }
}
