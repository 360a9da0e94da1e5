/// Hands checkpoint tensors to modules by name and accounts for every tensor, strictly by default.
///
/// Modules ask for each tensor with the exact shape they need. A missing, mis-shaped or badly typed tensor is
/// recorded (and `nil` returned) so that loading can continue and report *every* problem at once; `finish()` then
/// adds every checkpoint tensor nobody asked for and throws if anything at all is wrong. Deliberate skips are named
/// with `ignore(prefix:)` or `ignore(name:)`. Not thread-safe: bind on one thread.
public final class WeightBinder {
    /// The source being bound.
    public let source: any TensorSource
    private var used: Set<String> = []
    private var ignoredPrefixes: [String] = []
    private var ignoredNames: Set<String> = []
    /// Problems found so far (unexpected tensors are added by `finish()`).
    public private(set) var report = BindingReport()

    /// Creates a binder over `source`.
    public init(source: any TensorSource) {
        self.source = source
    }

    /// Declares every tensor whose name starts with `prefix` a deliberate skip.
    public func ignore(prefix: String) { ignoredPrefixes.append(prefix) }

    /// Declares the tensor `name` a deliberate skip.
    public func ignore(name: String) { ignoredNames.insert(name) }

    /// Takes the tensor `name`, which must exist with exactly `shape` and a floating-point dtype.
    /// Returns nil (and records the problem) otherwise.
    public func take(_ name: String, shape: [Int]) -> TensorView? {
        guard let view = source.tensor(named: name) else {
            report.missing.append(name)
            return nil
        }
        return check(view, shape: shape)
    }

    /// Takes the tensor `name` if the checkpoint has it (absence is not a problem; a wrong shape is).
    public func takeIfPresent(_ name: String, shape: [Int]) -> TensorView? {
        guard let view = source.tensor(named: name) else { return nil }
        return check(view, shape: shape)
    }

    /// True when the source holds `name` (does not mark it used).
    public func contains(_ name: String) -> Bool { source.tensor(named: name) != nil }

    /// Ends binding: records every tensor not taken and not ignored as unexpected.
    /// - Throws: `CheckpointError.binding` with the full report if any problem was found.
    public func finish() throws {
        for name in source.tensorNames where !used.contains(name) && !ignoredNames.contains(name) {
            if ignoredPrefixes.contains(where: { name.hasPrefix($0) }) { continue }
            report.unexpected.append(name)
        }
        if !report.isEmpty { throw CheckpointError.binding(report) }
    }

    private func check(_ view: TensorView, shape: [Int]) -> TensorView? {
        used.insert(view.name)
        guard view.shape == shape else {
            report.misshaped.append(.init(name: view.name, expected: shape, actual: view.shape))
            return nil
        }
        guard view.dtype == .f32 || view.dtype == .bf16 || view.dtype == .f16 else {
            report.badDType.append("\(view.name) (\(view.dtype.rawValue))")
            return nil
        }
        return view
    }
}
