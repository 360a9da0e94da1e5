import VVCompute
import VVModelFiles

/// The per-request key/value cache of one Qwen2 stack: preallocated to `capacity` positions for `batch` sequences,
/// written in place, never evicted, with a position counter per sequence.
///
/// Layout per layer: `[batch, kvHeads, capacity, headDim]` (Hugging Face's head-major order, so presets copy in
/// directly), f32 by default (the fp32 reference) or bf16/f16 to halve memory and attention traffic at long contexts
/// (new keys/values are rounded on write; attention still computes in f32). Keys are stored post-RoPE. Sequence `b`'s next token goes to position `lengths[b]`, which is also its
/// RoPE position. A value type passed `inout` to `Qwen2Model.forward`; the tensors inside are device buffers that the
/// forward pass updates in place.
public struct Qwen2KVCache: Sendable {
    /// Sequences.
    public let batch: Int
    /// Positions per sequence.
    public let capacity: Int
    /// Key/value heads.
    public let kvHeads: Int
    /// Per-head dimension.
    public let headDim: Int
    /// Keys per layer.
    public let keys: [Tensor]
    /// Values per layer.
    public let values: [Tensor]
    /// Cached positions per sequence.
    public internal(set) var lengths: [Int]

    /// The element type of the stored keys and values.
    public let dtype: DType

    /// Allocates a zeroed cache for `layers` layers, storing `dtype` (f32, bf16 or f16).
    public init(
        config: Qwen2Config, layers: Int, batch: Int, capacity: Int, dtype: DType = .f32, context: ComputeContext
    ) throws {
        guard batch > 0, capacity > 0, layers > 0, dtype != .i32 else {
            throw ModelError.invalidInput(
                module: "Qwen2KVCache", reason: "batch, capacity and layers must be positive, dtype a float type")
        }
        self.dtype = dtype
        self.batch = batch
        self.capacity = capacity
        kvHeads = config.numKeyValueHeads
        headDim = config.headDim
        let shape: Shape = [batch, config.numKeyValueHeads, capacity, config.headDim]
        keys = try (0..<layers).map { _ in try context.zeros(shape, dtype: dtype) }
        values = try (0..<layers).map { _ in try context.zeros(shape, dtype: dtype) }
        lengths = Array(repeating: 0, count: batch)
    }

    /// Layers held.
    public var layerCount: Int { keys.count }

    /// The positions the next `tokens` tokens of each sequence in `slots` take (sequence-major), as
    /// `Qwen2Model.forward` uses them.
    public func positions(slots: Range<Int>, tokens: Int) -> [Int32] {
        slots.flatMap { slot in (0..<tokens).map { Int32(lengths[slot] + $0) } }
    }

    /// Seeds sequence `slot` from external post-RoPE keys and values (a voice preset), one pair per layer, each
    /// `[kvHeads, length, headDim]` or `[1, kvHeads, length, headDim]` in f32, bf16 or f16. Sets the sequence's
    /// length (and so its next RoPE position) to `length`.
    public mutating func seed(slot: Int, keys newKeys: [Tensor], values newValues: [Tensor], context: ComputeContext)
        throws
    {
        guard slot >= 0, slot < batch, newKeys.count == layerCount, newValues.count == layerCount else {
            throw ModelError.invalidInput(
                module: "Qwen2KVCache.seed", reason: "slot \(slot) of \(batch), \(newKeys.count) layers of \(layerCount)")
        }
        var length = -1
        for (index, tensor) in (newKeys + newValues).enumerated() {
            let dims = tensor.shape.dims.first == 1 && tensor.shape.rank == 4 ? Array(tensor.shape.dims.dropFirst()) : tensor.shape.dims
            guard dims.count == 3, dims[0] == kvHeads, dims[2] == headDim, length < 0 || dims[1] == length else {
                throw ModelError.invalidInput(module: "Qwen2KVCache.seed", reason: "tensor \(index) has shape \(tensor.shape)")
            }
            length = dims[1]
        }
        guard length <= capacity else { throw ModelError.cacheFull(capacity: capacity, needed: length) }
        let slots = try context.uploadInt32((0..<length).map { Int32($0) }, shape: [length])
        for layer in 0..<layerCount {
            for (source, cache) in [(newKeys[layer], keys[layer]), (newValues[layer], values[layer])] {
                var f32 = source
                if source.dtype != .f32 {
                    f32 = try context.zeros(source.shape, dtype: .f32)
                    try context.copy(source, into: f32)
                }
                let region = try cache.rows(slot..<(slot + 1))
                try context.writeKV(
                    cache: try region.reshaped([1, kvHeads, capacity, headDim]), values: f32, positions: slots,
                    params: KVWriteParams(
                        batch: 1, tokens: length, kvHeads: kvHeads, headDim: headDim, capacity: capacity,
                        layout: .headMajor))
            }
        }
        lengths[slot] = length
    }

    /// Declares that sequence `slot` holds `length` positions, filled by other means (benchmarks fabricate context
    /// lengths this way; the contents are whatever the cache holds).
    /// - Throws: `ModelError.cacheFull` beyond capacity, `.invalidInput` for a bad slot.
    public mutating func setLength(_ length: Int, slot: Int) throws {
        guard slot >= 0, slot < batch, length >= 0 else {
            throw ModelError.invalidInput(module: "Qwen2KVCache", reason: "slot \(slot), length \(length)")
        }
        guard length <= capacity else { throw ModelError.cacheFull(capacity: capacity, needed: length) }
        lengths[slot] = length
    }

    /// Forgets sequence `slot`'s contents (its length returns to 0; stale values are overwritten before use).
    public mutating func reset(slot: Int) {
        if slot >= 0, slot < batch { lengths[slot] = 0 }
    }
}
