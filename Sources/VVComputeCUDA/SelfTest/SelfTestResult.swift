/// One row of the self-test table: how far a candidate backend's op is from the reference's on the same inputs.
public struct SelfTestResult: Sendable, CustomStringConvertible {
    /// The op (`linear bf16`).
    public let op: String
    /// The shapes in words (`2x896 · 4864x896`).
    public let shape: String
    /// Cosine similarity of the flattened outputs (nil for integer results, which must match exactly).
    public let cosine: Double?
    /// Largest absolute difference.
    public let maxAbs: Float
    /// The cosine the op must reach (nil when not checked).
    public let cosineMinimum: Double?
    /// The largest absolute difference allowed.
    public let maxAbsBound: Float
    /// Set when either backend threw instead of producing a result.
    public let failure: String?

    /// True when both bounds hold and nothing threw.
    public var passed: Bool {
        guard failure == nil, maxAbs.isFinite, maxAbs <= maxAbsBound else { return false }
        if let cosineMinimum { return (cosine ?? 0) >= cosineMinimum }
        return true
    }

    /// `ok    linear bf16  2x896 · 4864x896  cos 0.9999999  max-abs 3.1e-06 ≤ 4.8e-03`.
    public var description: String {
        let status = passed ? "ok  " : "FAIL"
        if let failure { return "\(status)  \(op)  \(shape)  error: \(failure)" }
        let cosineText = cosine.map { "cos " + String(format6($0)) } ?? "exact"
        return "\(status)  \(op)  \(shape)  \(cosineText)  max-abs \(scientific(maxAbs)) ≤ \(scientific(maxAbsBound))"
    }
}

/// `0.999987` (six decimals, no Foundation formatting so it reads the same on every platform).
func format6(_ value: Double) -> String {
    guard value.isFinite else { return "\(value)" }
    let scaled = Int((abs(value) * 1_000_000).rounded())
    let fraction = String(scaled % 1_000_000)
    return (value < 0 ? "-" : "") + "\(scaled / 1_000_000)." + String(repeating: "0", count: 6 - fraction.count)
        + fraction
}

/// `3.1e-06` style.
func scientific(_ value: Float) -> String {
    guard value.isFinite, value != 0 else { return value == 0 ? "0" : "\(value)" }
    var exponent = 0
    var mantissa = Double(value)
    while abs(mantissa) >= 10 { mantissa /= 10; exponent += 1 }
    while abs(mantissa) < 1 { mantissa *= 10; exponent -= 1 }
    var tenths = Int((mantissa * 10).rounded())
    if abs(tenths) >= 100 { tenths /= 10; exponent += 1 }
    let sign = exponent < 0 ? "-" : "+"
    let digits = String(abs(exponent))
    return "\(tenths / 10).\(abs(tenths % 10))e\(sign)\(digits.count < 2 ? "0" + digits : digits)"
}
