/// A monotonic stopwatch in seconds (`ContinuousClock`: never goes backwards, nanosecond resolution).
public struct Stopwatch: Sendable {
    private let start = ContinuousClock.now

    /// Starts timing now.
    public init() {}

    /// Seconds since the stopwatch was made.
    public var seconds: Double {
        let d = ContinuousClock.now - start
        return Double(d.components.seconds) + Double(d.components.attoseconds) * 1e-18
    }
}
