/// Every problem found while binding checkpoint tensors to modules, by tensor name.
public struct BindingReport: Sendable, Equatable, CustomStringConvertible {
    /// One tensor that a module asked for but could not use as it is.
    public struct Mismatch: Sendable, Equatable {
        /// The checkpoint name.
        public let name: String
        /// The shape the module expects.
        public let expected: [Int]
        /// The shape found in the checkpoint.
        public let actual: [Int]

        /// Creates a mismatch record.
        public init(name: String, expected: [Int], actual: [Int]) {
            self.name = name
            self.expected = expected
            self.actual = actual
        }
    }

    /// Names a module asked for that the checkpoint lacks.
    public var missing: [String] = []
    /// Names the checkpoint holds that no module asked for and no allow-list entry covers.
    public var unexpected: [String] = []
    /// Tensors present with the wrong shape.
    public var misshaped: [Mismatch] = []
    /// Tensors present in a dtype the module cannot use (name and dtype).
    public var badDType: [String] = []

    /// True when nothing is wrong.
    public var isEmpty: Bool { missing.isEmpty && unexpected.isEmpty && misshaped.isEmpty && badDType.isEmpty }

    /// A multi-line summary: a count line, then one line per problem.
    public var description: String {
        var lines = [
            "checkpoint does not match the model: \(missing.count) missing, \(unexpected.count) unexpected, "
                + "\(misshaped.count) mis-shaped, \(badDType.count) with an unusable dtype"
        ]
        lines += missing.map { "  missing: \($0)" }
        lines += misshaped.map { "  mis-shaped: \($0.name) expected \($0.expected) found \($0.actual)" }
        lines += badDType.map { "  unusable dtype: \($0)" }
        lines += unexpected.map { "  unexpected: \($0)" }
        return lines.joined(separator: "\n")
    }
}
