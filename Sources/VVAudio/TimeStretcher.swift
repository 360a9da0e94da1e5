import Foundation

/// Pitch-preserving time-stretch for the speech endpoint's `speed` (0.25–4.0) by WSOLA, usable as a stream.
///
/// Waveform-similarity overlap-add: output frames of `frameLength` samples (40 ms, periodic Hann window) are laid
/// down every `hop = frameLength / 2` samples; frame k is read from the input near `k · hop · speed`, shifted by up
/// to ±`tolerance` (12 ms) to the position whose waveform best matches the natural continuation of frame k − 1
/// (normalised cross-correlation over the overlapping half-frame). Pitch is kept because frames are copied, not resampled. The whole output has
/// exactly `round(inputCount / speed)` samples; `speed == 1` passes samples through untouched.
public struct TimeStretcher: Sendable {
    /// Playback speed: 2 halves the duration, 0.5 doubles it.
    public let speed: Double
    /// Samples per second (sets the frame and search sizes).
    public let sampleRate: Int
    /// Samples per analysis/synthesis frame.
    public let frameLength: Int
    /// Synthesis hop (half a frame).
    public let hop: Int
    /// Largest shift searched around the nominal input position, in samples.
    public let tolerance: Int
    private let window: [Float]
    private var buffer: [Float]
    private var bufferStart: Int
    private var received = 0
    private var frameIndex = 0
    private var previous = 0
    private var overlap: [Float]
    private var emitted = 0
    private var toDiscard: Int

    /// The accepted `speed` range (OpenAI's).
    public static let speedRange = 0.25...4.0

    /// Creates a stretcher; throws `invalidArgument` for a speed outside 0.25–4.0.
    public init(speed: Double, sampleRate: Int = 24_000) throws {
        guard Self.speedRange.contains(speed) else {
            throw AudioError.invalidArgument(name: "speed", detail: "\(speed) is outside 0.25–4.0")
        }
        guard sampleRate >= 1000, sampleRate <= 768_000 else {
            throw AudioError.invalidArgument(name: "sample rate", detail: "\(sampleRate) Hz is out of range")
        }
        self.speed = speed
        self.sampleRate = sampleRate
        frameLength = max(16, Int((0.04 * Double(sampleRate) / 16).rounded()) * 16)
        hop = frameLength / 2
        tolerance = Int((0.012 * Double(sampleRate)).rounded())
        let n = frameLength
        window = (0..<n).map { Float(0.5 - 0.5 * cos(2 * Double.pi * Double($0) / Double(n))) }
        // Half a frame of silence in front, so the first output sample already has full gain; it is discarded.
        buffer = [Float](repeating: 0, count: hop)
        bufferStart = -hop
        overlap = [Float](repeating: 0, count: n)
        toDiscard = hop
        previous = -hop
    }

    /// Stretches a whole signal in one call.
    public static func stretch(_ samples: [Float], speed: Double, sampleRate: Int = 24_000) throws -> [Float] {
        var s = try TimeStretcher(speed: speed, sampleRate: sampleRate)
        return s.process(samples) + s.flush()
    }

    /// Feeds `input`; returns the output samples that are final.
    public mutating func process(_ input: [Float]) -> [Float] {
        received += input.count
        if speed == 1 { emitted += input.count; return input }
        buffer += input
        var out: [Float] = []
        produceFrames(limitOutput: .max, into: &out)
        return out
    }

    /// Ends the stream; returns the rest of the output (total length `round(inputCount / speed)`).
    public mutating func flush() -> [Float] {
        if speed == 1 { return [] }
        let total = Int((Double(received) / speed).rounded())
        buffer += [Float](repeating: 0, count: frameLength * 2 + 2 * tolerance + Int(Double(hop) * speed) + 8)
        var out: [Float] = []
        produceFrames(limitOutput: total, into: &out)
        if emitted < total {  // only for tiny inputs: pad with silence to the exact length
            out += [Float](repeating: 0, count: total - emitted)
            emitted = total
        }
        return out
    }

    private func nominal(_ k: Int) -> Int { Int((Double(k * hop) * speed).rounded()) - hop }

    private mutating func produceFrames(limitOutput: Int, into out: inout [Float]) {
        let n = frameLength
        while emitted < limitOutput {
            let k = frameIndex
            let center = nominal(k)
            let natural = previous + hop
            let end = bufferStart + buffer.count
            guard max(center + tolerance, natural) + n <= end else { break }
            let chosen = k == 0 ? center : bestMatch(center: center, natural: natural)
            buffer.withUnsafeBufferPointer { b in
                for i in 0..<n { overlap[i] += window[i] * b[chosen - bufferStart + i] }
            }
            previous = chosen
            frameIndex += 1
            // The first `hop` output samples are final now.
            var ready = Array(overlap[0..<hop])
            overlap.removeFirst(hop)
            overlap += [Float](repeating: 0, count: hop)
            if toDiscard > 0 {
                let d = min(toDiscard, ready.count)
                ready.removeFirst(d)
                toDiscard -= d
            }
            if emitted + ready.count > limitOutput { ready.removeLast(emitted + ready.count - limitOutput) }
            emitted += ready.count
            out += ready
        }
        compact()
    }

    /// The start in `[center − tolerance, center + tolerance]` whose first half-frame (the part that overlaps the
    /// previous frame) best matches the one at `natural`: a search on every second shift, then the two neighbours.
    private func bestMatch(center: Int, natural: Int) -> Int {
        let m = hop
        let lo = max(center - tolerance, bufferStart)
        let hi = center + tolerance
        return buffer.withUnsafeBufferPointer { b -> Int in
            guard let base = b.baseAddress, lo <= hi else { return center }
            let ref = base + (natural - bufferStart)
            func score(_ s: Int) -> Float {
                let cand = base + (s - bufferStart)
                return dot(cand, ref, m) / (dot(cand, cand, m) + 1e-9).squareRoot()
            }
            var energy = dot(base + (lo - bufferStart), base + (lo - bufferStart), m)
            var best = lo, bestScore = -Float.infinity
            var s = lo
            while s <= hi {
                let cand = base + (s - bufferStart)
                let sc = dot(cand, ref, m) / (energy + 1e-9).squareRoot()
                if sc > bestScore {
                    bestScore = sc
                    best = s
                }
                if s + 2 <= hi {
                    energy += cand[m] * cand[m] + cand[m + 1] * cand[m + 1] - cand[0] * cand[0] - cand[1] * cand[1]
                    energy = max(0, energy)
                }
                s += 2
            }
            for t in [best - 1, best + 1] where t >= lo && t <= hi {
                let sc = score(t)
                if sc > bestScore {
                    bestScore = sc
                    best = t
                }
            }
            return best
        }
    }

    /// Drops input that no later frame can reach.
    private mutating func compact() {
        let keepFrom = min(nominal(frameIndex) - tolerance, previous + hop) - 1
        let drop = keepFrom - bufferStart
        if drop > 8192 && drop < buffer.count {
            buffer.removeFirst(drop)
            bufferStart += drop
        }
    }
}
