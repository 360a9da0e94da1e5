/// Turns a 32-bit float WAV arriving in pieces (ffmpeg's pipe output, length fields unknown) into sink blocks.
final class StreamingWAVReader {
    private let format: InputFormat
    private var pending: [UInt8] = []
    private var layout: WAVDecoder.Layout?

    init(format: InputFormat) { self.format = format }

    func feed(_ chunk: [UInt8], into sink: SampleSink) throws {
        pending += chunk
        if layout == nil {
            guard let parsed = try? pending.withUnsafeBufferPointer({ try WAVDecoder.parse($0) }) else {
                if pending.count > 1 << 20 {
                    throw AudioError.backendFailed(backend: "ffmpeg", detail: "no WAV header in its output")
                }
                return
            }
            layout = parsed
            try sink.start(sampleRate: parsed.sampleRate, channels: parsed.channels, format: format.displayName)
            pending.removeFirst(parsed.dataStart)
        }
        guard let layout else { return }
        let frames = pending.count / layout.blockAlign
        if frames == 0 { return }
        var out = [Float](repeating: 0, count: frames * layout.channels)
        var l = layout
        l.dataStart = 0
        pending.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { WAVDecoder.convert(src, from: 0, frames: frames, layout: l, into: $0) }
        }
        pending.removeFirst(frames * layout.blockAlign)
        try out.withUnsafeBufferPointer { try sink.push($0) }
    }
}
