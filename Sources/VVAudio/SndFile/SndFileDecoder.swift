/// Decodes FLAC, Ogg Vorbis, Ogg Opus, MP3 (and AIFF, CAF, AU, odd WAVs) from memory through libsndfile.
struct SndFileDecoder {
    let library: SndFileLibrary

    /// An open read handle and what keeps it valid.
    private final class Reader {
        let library: SndFileLibrary
        let io: SndFileVirtualIO
        let callbacks = SndFileVirtualIO.makeCallbacks()
        var info = SndFileInfo()
        var handle: OpaquePointer?

        init(library: SndFileLibrary, bytes: UnsafeBufferPointer<UInt8>, lengthScale: Int) {
            self.library = library
            io = SndFileVirtualIO(reading: bytes, lengthScale: lengthScale)
            let io = self.io, callbacks = self.callbacks
            handle = info.withCStruct { library.openVirtual(callbacks, SndFileLibrary.modeRead, $0, io.userData) }
        }

        deinit {
            if let handle { _ = library.close(handle) }
            callbacks.deallocate()
        }
    }

    /// Decodes `bytes` block by block into `sink`; `format` is what the sniffer saw (for messages).
    func decode(_ bytes: UnsafeBufferPointer<UInt8>, format: InputFormat, into sink: SampleSink) throws {
        var reader = Reader(library: library, bytes: bytes, lengthScale: 1)
        guard reader.handle != nil else {
            throw AudioError.malformedInput(
                format: format.displayName, detail: "libsndfile: \(library.errorMessage(nil))")
        }
        let isMPEG = reader.info.format & SndFileLibrary.typeMask == SndFileLibrary.formatMPEG
        if isMPEG {
            // libsndfile stops reading at the frame count mpg123 reports, and for an MP3 without a Xing/Info/VBRI
            // header (VBR written to a pipe, as ffmpeg does) mpg123 guesses that count from the file size and the
            // first frame's bit rate: a 20 s file came out as 7 s. When the frame headers say there is clearly more,
            // reopen with a larger reported size (the extra reads as zeros) so the cap no longer bites.
            let scanned = MP3FrameScanner.sampleCount(bytes)
            if Int(clamping: reader.info.frames) < scanned - 4 * 1152 {
                reader = Reader(library: library, bytes: bytes, lengthScale: 64)
            }
        }
        guard let handle = reader.handle else {
            throw AudioError.malformedInput(
                format: format.displayName, detail: "libsndfile: \(library.errorMessage(nil))")
        }
        let info = reader.info
        let channels = Int(info.channels)
        // MPEG frame counts are estimates; for the rest the header's count is checked against the limit up front.
        let expected = isMPEG || info.frames <= 0 || info.frames >= 1 << 53 ? nil : Int(clamping: info.frames)
        try sink.start(
            sampleRate: Int(info.sampleRate), channels: channels, expectedFrames: expected,
            sizeHint: info.frames > 0 && info.frames < 1 << 40 ? Int(info.frames) : nil, format: format.displayName)
        let blockFrames = 4096
        var buffer = [Float](repeating: 0, count: blockFrames * channels)
        while true {
            let got = try buffer.withUnsafeMutableBufferPointer { out -> Int in
                let n = library.readFloat(handle, out.baseAddress, Int64(blockFrames))
                guard n >= 0 else {
                    throw AudioError.malformedInput(
                        format: format.displayName, detail: "libsndfile: \(library.errorMessage(handle))")
                }
                return Int(n)
            }
            if got == 0 { break }
            try buffer.withUnsafeBufferPointer {
                try sink.push(UnsafeBufferPointer(rebasing: $0[0..<(got * channels)]))
            }
        }
        withExtendedLifetime(reader) {}
    }
}
