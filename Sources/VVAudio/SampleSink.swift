/// Receives decoded audio block by block from a decoder and enforces `DecodeLimits` as the blocks arrive.
///
/// A decoder calls `start` once, then `push` with interleaved blocks. The sink throws `AudioError.audioTooLong`
/// before accepting a block that would pass the duration limit, so no decoder produces more than the limit allows.
final class SampleSink {
    /// What to do with each accepted block (interleaved samples, channels).
    typealias Handler = (UnsafeBufferPointer<Float>, Int) throws -> Void

    let limits: DecodeLimits
    private(set) var sampleRate = 0
    private(set) var channels = 0
    private(set) var frames = 0
    private var maxFrames = Int.max
    private let onStart: (Int, Int, Int?) throws -> Void
    private let handler: Handler

    init(limits: DecodeLimits, onStart: @escaping (Int, Int, Int?) throws -> Void, handler: @escaping Handler) {
        self.limits = limits
        self.onStart = onStart
        self.handler = handler
    }

    /// Whether `start` was called.
    var started: Bool { sampleRate > 0 }

    /// Declares the stream's rate and channel count.
    ///
    /// `expectedFrames` (if known) is checked against the limit at once; `sizeHint` is a frame count to reserve
    /// memory for (an estimate; capped by the limit).
    func start(sampleRate: Int, channels: Int, expectedFrames: Int? = nil, sizeHint: Int? = nil, format: String) throws
    {
        guard sampleRate > 0, sampleRate <= 1_536_000 else {
            throw AudioError.malformedInput(format: format, detail: "sample rate \(sampleRate) Hz is out of range")
        }
        guard channels > 0, channels <= 256 else {
            throw AudioError.malformedInput(format: format, detail: "\(channels) channels is out of range")
        }
        self.sampleRate = sampleRate
        self.channels = channels
        let limitFrames = limits.maxSeconds * Double(sampleRate)
        maxFrames = limitFrames >= Double(Int.max / 2) ? Int.max / 2 : Int(limitFrames.rounded(.down))
        if let expectedFrames, expectedFrames > maxFrames {
            throw AudioError.audioTooLong(limitSeconds: limits.maxSeconds)
        }
        try onStart(sampleRate, channels, (expectedFrames ?? sizeHint).map { min(max($0, 0), maxFrames, 1 << 31) })
    }

    /// Accepts one block of interleaved samples (a whole number of frames).
    func push(_ block: UnsafeBufferPointer<Float>) throws {
        let n = block.count / max(channels, 1)
        if n == 0 { return }
        if frames + n > maxFrames { throw AudioError.audioTooLong(limitSeconds: limits.maxSeconds) }
        frames += n
        try handler(UnsafeBufferPointer(rebasing: block[0..<(n * channels)]), channels)
    }

    /// A sink that collects everything into one interleaved array.
    static func collecting(limits: DecodeLimits) -> (SampleSink, Collector) {
        let collector = Collector()
        let sink = SampleSink(
            limits: limits,
            onStart: { _, channels, hint in
                if let hint { collector.samples.reserveCapacity(hint * channels) }
            }
        ) { block, _ in
            collector.samples.append(contentsOf: block)
        }
        return (sink, collector)
    }

    /// Storage for `collecting`.
    final class Collector {
        var samples: [Float] = []
    }
}
