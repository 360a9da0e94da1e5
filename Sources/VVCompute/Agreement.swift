/// How closely a result matches a reference, the two measures every backend check uses (`vibevoice selftest`):
/// cosine similarity, and the largest absolute difference together with the reference's scale `max(1, max|e|)`.
public struct Agreement: Sendable, Equatable {
    /// Cosine similarity (1 when both are all zeros; 0 for different lengths or empty inputs).
    public let cosine: Double
    /// The largest `|actual − expected|`; infinite for different lengths, and a NaN difference counts as the worst.
    public let maxAbs: Float
    /// `max(1, max|expected|)`, what relative bounds multiply.
    public let scale: Float

    /// Compares `actual` with `expected` element by element.
    public init(_ actual: [Float], _ expected: [Float]) {
        scale = max(1, expected.reduce(Float(0)) { max($0, abs($1)) })
        guard actual.count == expected.count, !actual.isEmpty else {
            (cosine, maxAbs) = (actual.isEmpty && expected.isEmpty ? 1 : 0, actual.count == expected.count ? 0 : .infinity)
            return
        }
        var worst: Float = 0
        var dot = 0.0, normA = 0.0, normE = 0.0
        for (a, e) in zip(actual, expected) {
            let difference = abs(a - e)
            if !worst.isNaN, !(difference <= worst) { worst = difference }  // a NaN difference stays the worst
            dot += Double(a) * Double(e)
            normA += Double(a) * Double(a)
            normE += Double(e) * Double(e)
        }
        maxAbs = worst
        cosine = normA == 0 && normE == 0 ? 1 : dot / (normA.squareRoot() * normE.squareRoot())
    }

    /// `maxAbs / scale`.
    public var relativeMaxAbs: Float { maxAbs / scale }
}
