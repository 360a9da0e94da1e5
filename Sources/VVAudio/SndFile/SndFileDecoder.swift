/// Decodes FLAC, Ogg Vorbis, Ogg Opus, MP3 (and AIFF, CAF, AU, odd WAVs) from memory through libsndfile.
struct SndFileDecoder {
    let library: SndFileLibrary

    /// Decodes `bytes` block by block into `sink`; `format` is what the sniffer saw (for messages).
    func decode(_ bytes: UnsafeBufferPointer<UInt8>, format: InputFormat, into sink: SampleSink) throws {
        let io = SndFileVirtualIO(reading: bytes)
        let callbacks = SndFileVirtualIO.makeCallbacks()
        defer { callbacks.deallocate() }
        var info = SndFileInfo()
        let handle = withExtendedLifetime(io) {
            info.withCStruct { library.openVirtual(callbacks, SndFileLibrary.modeRead, $0, io.userData) }
        }
        guard let handle else {
            throw AudioError.malformedInput(format: format.displayName, detail: "libsndfile: \(library.errorMessage(nil))")
        }
        defer { _ = library.close(handle) }
        let channels = Int(info.channels)
        let isMPEG = info.format & SndFileLibrary.typeMask == SndFileLibrary.formatMPEG
        // MPEG frame counts are estimates; for the rest the header's count is checked against the limit up front.
        let expected = isMPEG || info.frames <= 0 || info.frames >= 1 << 53 ? nil : Int(clamping: info.frames)
        try sink.start(
            sampleRate: Int(info.sampleRate), channels: channels, expectedFrames: expected, format: format.displayName)
        let blockFrames = 4096
        var buffer = [Float](repeating: 0, count: blockFrames * channels)
        while true {
            let got = try withExtendedLifetime(io) {
                try buffer.withUnsafeMutableBufferPointer { out -> Int in
                    let n = library.readFloat(handle, out.baseAddress, Int64(blockFrames))
                    guard n >= 0 else {
                        throw AudioError.malformedInput(
                            format: format.displayName, detail: "libsndfile: \(library.errorMessage(handle))")
                    }
                    return Int(n)
                }
            }
            if got == 0 { break }
            try buffer.withUnsafeBufferPointer { try sink.push(UnsafeBufferPointer(rebasing: $0[0..<(got * channels)])) }
        }
    }
}
