import VVCompute

/// Records named intermediate tensors during a forward pass, under the reference's names, so tests can compare them
/// with fixtures tensor by tensor. Pass nil (the default) in production: nothing is recorded.
public final class Taps: @unchecked Sendable {
    /// The recorded tensors by name (a later record under the same name replaces the earlier one).
    public private(set) var tensors: [String: Tensor] = [:]
    /// Names in the order first recorded.
    public private(set) var order: [String] = []

    /// Creates an empty recorder.
    public init() {}

    /// Records `tensor` as `name`.
    public func record(_ name: String, _ tensor: Tensor) {
        if tensors[name] == nil { order.append(name) }
        tensors[name] = tensor
    }
}
