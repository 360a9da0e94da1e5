/// A mutable cell of the unpickler's stack and memo.
///
/// Pickle builds containers empty and fills them later (APPENDS, SETITEMS, BUILD), possibly through a memo reference,
/// so the machine works on shared reference cells and converts them to `TorchValue` once, at STOP.
final class PickleNode {
    /// What the cell holds.
    enum Kind {
        /// An immutable value (scalar, string or tensor).
        case value(TorchValue)
        /// A list, filled by APPEND(S).
        case list([PickleNode])
        /// A tuple.
        case tuple([PickleNode])
        /// A dict or OrderedDict, filled by SETITEM(S).
        case dict(PickleDict)
        /// An instance of an allowed class.
        case object(className: String, fields: PickleDict)
        /// An allowed global, only usable as a callable or class.
        case global(AllowedGlobal)
        /// A storage returned by a persistent id, only usable as a tensor's first argument.
        case storage(TorchStorage)
    }

    var kind: Kind

    init(_ kind: Kind) {
        self.kind = kind
    }

    /// A short name for error messages.
    var kindName: String {
        switch kind {
        case .value(let v): return v.kindName
        case .list: return "list"
        case .tuple: return "tuple"
        case .dict: return "dict"
        case .object(let name, _): return name
        case .global(let g): return "global \(g.qualifiedName)"
        case .storage: return "storage"
        }
    }

    /// The key this node can be in a dict, if it is a string or an int.
    var dictKey: TorchDictKey? {
        switch kind {
        case .value(.string(let s)): return .string(s)
        case .value(.int(let i)): return .int(i)
        default: return nil
        }
    }
}

/// Insertion-ordered keys and node values with Python's replace-in-place semantics.
struct PickleDict {
    private(set) var keys: [TorchDictKey] = []
    private(set) var values: [TorchDictKey: PickleNode] = [:]

    mutating func set(_ key: TorchDictKey, _ value: PickleNode) {
        if values.updateValue(value, forKey: key) == nil { keys.append(key) }
    }
}

/// A storage record resolved from a persistent id: its dtype and raw bytes.
struct TorchStorage {
    let key: String
    let dtype: TorchDType
    let bytes: [UInt8]

    var elementCount: Int { bytes.count / dtype.byteSize }
}

/// Converts the finished node graph to values, sharing results of shared nodes and refusing cycles and extreme depth.
struct PickleConverter {
    /// Deepest nesting accepted; presets nest about 6 levels.
    static let maxDepth = 100

    /// Byte offset of the STOP opcode, reported in errors.
    let offset: Int
    private var done: [ObjectIdentifier: TorchValue] = [:]
    private var active: Set<ObjectIdentifier> = []

    init(offset: Int) {
        self.offset = offset
    }

    mutating func convert(_ node: PickleNode, depth: Int = 0) throws(TorchFileError) -> TorchValue {
        let id = ObjectIdentifier(node)
        if let value = done[id] { return value }
        guard depth < Self.maxDepth else {
            throw .badPickle(offset: offset, reason: "nesting deeper than \(Self.maxDepth)")
        }
        guard !active.contains(id) else { throw .badPickle(offset: offset, reason: "the structure contains itself") }
        active.insert(id)
        defer { active.remove(id) }
        let value: TorchValue
        switch node.kind {
        case .value(let v): value = v
        case .list(let items): value = .list(try convert(items, depth: depth))
        case .tuple(let items): value = .tuple(try convert(items, depth: depth))
        case .dict(let d): value = .dict(try convert(d, depth: depth))
        case .object(let name, let fields):
            value = .object(TorchObject(className: name, fields: try convert(fields, depth: depth)))
        case .global(let g):
            throw .forbiddenCall(offset: offset, reason: "global \(g.qualifiedName) left as a value (never called)")
        case .storage(let s):
            throw .forbiddenCall(offset: offset, reason: "storage \(s.key) left as a value (not wrapped in a tensor)")
        }
        done[id] = value
        return value
    }

    private mutating func convert(_ items: [PickleNode], depth: Int) throws(TorchFileError) -> [TorchValue] {
        var result: [TorchValue] = []
        result.reserveCapacity(items.count)
        for item in items { result.append(try convert(item, depth: depth + 1)) }
        return result
    }

    private mutating func convert(_ dict: PickleDict, depth: Int) throws(TorchFileError) -> TorchDict {
        var result = TorchDict()
        for key in dict.keys {
            guard let node = dict.values[key] else { continue }
            result[key] = try convert(node, depth: depth + 1)
        }
        return result
    }
}
