import Foundation

/// Loudness normalisation to −25 dBFS exactly as VibeVoice's `AudioNormalizer` does it, bit for bit in fp32.
///
/// Mirrors `AudioNormalizer.__call__` in microsoft/VibeVoice `vibevoice/processor/audio_utils.py` (see
/// research/spec-tts.md §5.4 and spec-asr.md §2.2) as NumPy 2 evaluates it on a float32 array:
/// `rms = sqrt(mean(x²))` with NumPy's pairwise float32 sum and a float64 division by the count;
/// `x *= Float(10^(−25/20)) / (rms + Float(1e-6))`; then, if `max|x| > 1`, `x /= max|x| + Float(1e-6)`.
public enum LoudnessNormalizer {
    /// The reference target level, dBFS.
    public static let targetDBFS: Double = -25
    /// The reference epsilon.
    public static let epsilon: Double = 1e-6

    /// Returns `samples` normalised as the reference does.
    public static func normalized(_ samples: [Float]) -> [Float] {
        var x = samples
        normalize(&x)
        return x
    }

    /// Normalises `samples` in place as the reference does.
    public static func normalize(_ samples: inout [Float]) {
        guard !samples.isEmpty else { return }
        let rms = rootMeanSquare(samples)
        // Python: 10 ** (-25 / 20) / (rms + eps), with rms a NumPy float32 and the Python floats weak (NEP 50).
        let scalar = Float(pow(10, targetDBFS / 20)) / (rms + Float(epsilon))
        var peak: Float = 0
        samples.withUnsafeMutableBufferPointer { x in
            for i in x.indices {
                x[i] *= scalar
                peak = max(peak, abs(x[i]))
            }
        }
        if peak > 1 {
            let divisor = peak + Float(epsilon)
            samples.withUnsafeMutableBufferPointer { x in
                for i in x.indices { x[i] /= divisor }
            }
        }
    }

    /// `np.sqrt(np.mean(x**2))` for a float32 array: pairwise float32 sum, float64 division, float32 result.
    public static func rootMeanSquare(_ samples: [Float]) -> Float {
        guard !samples.isEmpty else { return .nan }
        let sum = samples.withUnsafeBufferPointer { pairwiseSumOfSquares($0) }
        let mean = Float(Double(sum) / Double(samples.count))
        return mean.squareRoot()
    }

    /// NumPy's `pairwise_sum` for float32 (numpy/_core/src/umath/loops_utils.h.src), applied to `x[i]²`.
    static func pairwiseSumOfSquares(_ x: UnsafeBufferPointer<Float>) -> Float {
        let n = x.count
        if n < 8 {
            var res: Float = 0
            for v in x { res += v * v }
            return res
        }
        if n <= 128 {
            var r0 = x[0] * x[0], r1 = x[1] * x[1], r2 = x[2] * x[2], r3 = x[3] * x[3]
            var r4 = x[4] * x[4], r5 = x[5] * x[5], r6 = x[6] * x[6], r7 = x[7] * x[7]
            var i = 8
            while i < n - n % 8 {
                r0 += x[i] * x[i]
                r1 += x[i + 1] * x[i + 1]
                r2 += x[i + 2] * x[i + 2]
                r3 += x[i + 3] * x[i + 3]
                r4 += x[i + 4] * x[i + 4]
                r5 += x[i + 5] * x[i + 5]
                r6 += x[i + 6] * x[i + 6]
                r7 += x[i + 7] * x[i + 7]
                i += 8
            }
            var res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
            while i < n {
                res += x[i] * x[i]
                i += 1
            }
            return res
        }
        var n2 = n / 2
        n2 -= n2 % 8
        return pairwiseSumOfSquares(UnsafeBufferPointer(rebasing: x[0..<n2]))
            + pairwiseSumOfSquares(UnsafeBufferPointer(rebasing: x[n2...]))
    }
}
