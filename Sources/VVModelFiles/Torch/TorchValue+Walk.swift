extension TorchValue {
    /// Every tensor inside this value with its path (`lm.past_key_values.key_cache[3]`), in file order.
    ///
    /// Dict keys and object fields are joined with `.`, list and tuple positions written as `[i]`.
    public func tensorsWithPaths(prefix: String = "") -> [(path: String, tensor: TorchTensor)] {
        var result: [(path: String, tensor: TorchTensor)] = []
        walk(prefix) { path, value in
            if case .tensor(let t) = value { result.append((path, t)) }
        }
        return result
    }

    /// Calls `visit` for this value and everything inside it, depth first, with each one's path.
    public func walk(_ path: String = "", _ visit: (String, TorchValue) -> Void) {
        visit(path, self)
        func join(_ key: TorchDictKey) -> String { path.isEmpty ? key.description : "\(path).\(key)" }
        switch self {
        case .list(let items), .tuple(let items):
            for (i, item) in items.enumerated() { item.walk("\(path)[\(i)]", visit) }
        case .dict(let dict):
            for (key, value) in dict.entries { value.walk(join(key), visit) }
        case .object(let object):
            for (key, value) in object.fields.entries { value.walk(join(key), visit) }
        default:
            break
        }
    }
}
