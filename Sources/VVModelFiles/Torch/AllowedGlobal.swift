/// The only globals a torch file may name.
///
/// These are what `torch.save` writes for tensors, plus the `transformers` classes the VibeVoice voice presets hold.
/// None of them is ever called; each has a fixed rebuild rule in `RestrictedUnpickler+Rebuild.swift`.
enum AllowedGlobal: Equatable {
    /// `collections.OrderedDict`, called with no arguments (the empty backward-hooks dict of every tensor).
    case orderedDict
    /// `torch._utils._rebuild_tensor_v2(storage, offset, size, stride, requires_grad, hooks[, metadata])`.
    case rebuildTensorV2
    /// A legacy typed storage class such as `torch.BFloat16Storage`, named inside persistent ids.
    case storage(TorchDType, name: String)
    /// `transformers.cache_utils.DynamicCache`: created by NEWOBJ with no arguments, filled by BUILD.
    case dynamicCache
    /// A `transformers.modeling_outputs` dataclass: created by REDUCE with its fields in order.
    case modelOutput(name: String, fields: [String])

    /// Recognises `module`.`name`, or returns `nil` for anything not on the list.
    init?(module: String, name: String) {
        switch (module, name) {
        case ("collections", "OrderedDict"): self = .orderedDict
        case ("torch._utils", "_rebuild_tensor_v2"): self = .rebuildTensorV2
        case ("transformers.cache_utils", "DynamicCache"): self = .dynamicCache
        case ("transformers.modeling_outputs", "BaseModelOutputWithPast"):
            // Field order of the dataclass in transformers 4.51.3 (`modeling_outputs.py`).
            self = .modelOutput(
                name: "BaseModelOutputWithPast",
                fields: ["last_hidden_state", "past_key_values", "hidden_states", "attentions"])
        case ("torch", _):
            guard let dtype = TorchDType(storageClass: name) else { return nil }
            self = .storage(dtype, name: name)
        default: return nil
        }
    }

    /// `module.name` as Python spells it.
    var qualifiedName: String {
        switch self {
        case .orderedDict: return "collections.OrderedDict"
        case .rebuildTensorV2: return "torch._utils._rebuild_tensor_v2"
        case .storage(_, let name): return "torch.\(name)"
        case .dynamicCache: return Self.dynamicCacheName
        case .modelOutput(let name, _): return "transformers.modeling_outputs.\(name)"
        }
    }

    /// Fully qualified name of the KV cache class.
    static let dynamicCacheName = "transformers.cache_utils.DynamicCache"
    /// Fully qualified name of the model output class the presets hold.
    static let baseModelOutputName = "transformers.modeling_outputs.BaseModelOutputWithPast"
}
