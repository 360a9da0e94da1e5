/// Picks the compute backend at start: tries each candidate from the highest priority down and keeps the first
/// that loads; a candidate that throws (a missing CUDA library) is skipped with one log line naming why.
public struct BackendRegistry: Sendable {
    /// One way to make a backend.
    public struct Candidate: Sendable {
        /// Name for logs and `--device` selection (`"cpu"`, `"cuda"`).
        public let name: String
        /// Higher is tried first.
        public let priority: Int
        /// Creates the backend or throws why it cannot.
        public let make: @Sendable () throws -> any ComputeBackend

        /// Creates a candidate.
        public init(name: String, priority: Int, make: @escaping @Sendable () throws -> any ComputeBackend) {
            self.name = name
            self.priority = priority
            self.make = make
        }
    }

    /// The registered candidates.
    public private(set) var candidates: [Candidate] = []

    /// An empty registry.
    public init() {}

    /// Adds a candidate.
    public mutating func register(_ candidate: Candidate) { candidates.append(candidate) }

    /// Makes the best backend (or the one named `preferred`, when given), calling `log` once per skipped candidate.
    /// - Throws: `ComputeError.noBackend` listing every failure when none loads.
    public func makeBackend(preferred: String? = nil, log: (String) -> Void = { _ in }) throws -> any ComputeBackend {
        let ordered = candidates
            .filter { preferred == nil || $0.name == preferred }
            .sorted { $0.priority > $1.priority }
        var reasons: [String] = []
        for candidate in ordered {
            do {
                return try candidate.make()
            } catch {
                log("compute backend '\(candidate.name)' unavailable: \(error)")
                reasons.append("\(candidate.name): \(error)")
            }
        }
        if ordered.isEmpty { reasons.append("no candidate named '\(preferred ?? "")'") }
        throw ComputeError.noBackend(reasons: reasons)
    }
}
