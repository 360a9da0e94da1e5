/// A value rebuilt from a torch file by the restricted unpickler: plain Python data, tensors, and the few allowed
/// objects (`transformers` cache and model-output classes) as their class name plus fields.
public indirect enum TorchValue: Sendable, Equatable {
    /// `None`.
    case none
    /// `True` / `False`.
    case bool(Bool)
    /// A Python `int` that fits 64 bits.
    case int(Int)
    /// A Python `float`.
    case float(Double)
    /// A Python `str`.
    case string(String)
    /// A Python `list`.
    case list([TorchValue])
    /// A Python `tuple`.
    case tuple([TorchValue])
    /// A `dict` or `collections.OrderedDict` (insertion order kept either way).
    case dict(TorchDict)
    /// A tensor rebuilt by `torch._utils._rebuild_tensor_v2`.
    case tensor(TorchTensor)
    /// An instance of an allowed class, such as `transformers.cache_utils.DynamicCache`.
    case object(TorchObject)

    /// The dictionary, if this is one.
    public var dict: TorchDict? {
        if case .dict(let d) = self { return d }
        return nil
    }

    /// The tensor, if this is one.
    public var tensor: TorchTensor? {
        if case .tensor(let t) = self { return t }
        return nil
    }

    /// The object, if this is one.
    public var object: TorchObject? {
        if case .object(let o) = self { return o }
        return nil
    }

    /// The elements, if this is a list or a tuple.
    public var elements: [TorchValue]? {
        switch self {
        case .list(let items), .tuple(let items): return items
        default: return nil
        }
    }

    /// The integer, if this is one.
    public var int: Int? {
        if case .int(let i) = self { return i }
        return nil
    }

    /// A short name of the kind of value, for error messages (`list`, `tensor`, `DynamicCache`...).
    public var kindName: String {
        switch self {
        case .none: return "None"
        case .bool: return "bool"
        case .int: return "int"
        case .float: return "float"
        case .string: return "str"
        case .list: return "list"
        case .tuple: return "tuple"
        case .dict: return "dict"
        case .tensor: return "tensor"
        case .object(let o): return o.className.split(separator: ".").last.map(String.init) ?? o.className
        }
    }
}

/// A dictionary key: the presets only use strings; integer keys are accepted too.
public enum TorchDictKey: Sendable, Hashable, CustomStringConvertible {
    /// A `str` key.
    case string(String)
    /// An `int` key.
    case int(Int)

    /// The key as Python would print it inside a path (`lm`, `3`).
    public var description: String {
        switch self {
        case .string(let s): return s
        case .int(let i): return String(i)
        }
    }
}

/// An insertion-ordered dictionary with Python semantics (assigning an existing key keeps its position).
public struct TorchDict: Sendable, Equatable {
    /// Keys and values in insertion order.
    public private(set) var entries: [(key: TorchDictKey, value: TorchValue)] = []
    private var positions: [TorchDictKey: Int] = [:]

    /// Creates an empty dictionary.
    public init() {}

    /// Keys in insertion order.
    public var keys: [TorchDictKey] { entries.map(\.key) }

    /// The value for `key`, or `nil`; setting replaces in place or appends.
    public subscript(key: TorchDictKey) -> TorchValue? {
        get { positions[key].map { entries[$0].value } }
        set {
            if let position = positions[key] {
                if let newValue {
                    entries[position].value = newValue
                } else {
                    entries.remove(at: position)
                    positions = Dictionary(uniqueKeysWithValues: entries.enumerated().map { ($1.key, $0) })
                }
            } else if let newValue {
                positions[key] = entries.count
                entries.append((key, newValue))
            }
        }
    }

    /// The value for a string key.
    public subscript(key: String) -> TorchValue? {
        self[.string(key)]
    }

    /// Equal when the same keys map to equal values in the same order.
    public static func == (lhs: TorchDict, rhs: TorchDict) -> Bool {
        lhs.entries.count == rhs.entries.count
            && zip(lhs.entries, rhs.entries).allSatisfy { $0.key == $1.key && $0.value == $1.value }
    }
}

/// An instance of an allowed class: its fully qualified name and its fields.
///
/// Fields merge, in the order the pickle sets them, the constructor's positional arguments (named after the class's
/// dataclass fields), mapping items (model outputs are dicts too) and the `__dict__` state applied by BUILD.
public struct TorchObject: Sendable, Equatable {
    /// Fully qualified class name, such as `transformers.cache_utils.DynamicCache`.
    public var className: String
    /// Attributes by name.
    public var fields: TorchDict

    /// Creates an object record.
    public init(className: String, fields: TorchDict = TorchDict()) {
        self.className = className
        self.fields = fields
    }
}
