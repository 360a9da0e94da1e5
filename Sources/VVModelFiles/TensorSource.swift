/// Anything that can hand out named tensors: one safetensors file, a sharded checkpoint, or an in-memory map.
public protocol TensorSource: Sendable {
    /// Every tensor name the source holds, sorted.
    var tensorNames: [String] { get }
    /// The tensor called `name`, or nil when the source has none by that name.
    func tensor(named name: String) -> TensorView?
}
