/// The fixed rebuild rules of the allowed globals: what REDUCE, NEWOBJ, BUILD, BINPERSID, APPEND(S) and SETITEM(S)
/// may do. Each rule checks its arguments and builds data; no rule runs code named by the file.
extension RestrictedUnpickler {
    /// REDUCE: `callable(*arguments)` for the callables on the allow-list.
    mutating func reduce(callable: PickleNode, arguments: PickleNode) throws(TorchFileError) -> PickleNode {
        guard case .global(let global) = callable.kind else {
            throw .forbiddenCall(
                offset: opcodeOffset, reason: "REDUCE of a \(callable.kindName), not an allowed global")
        }
        guard case .tuple(let args) = arguments.kind else {
            throw .forbiddenCall(
                offset: opcodeOffset, reason: "REDUCE of \(global.qualifiedName) without an argument tuple")
        }
        switch global {
        case .orderedDict:
            guard args.isEmpty else {
                throw .forbiddenCall(offset: opcodeOffset, reason: "collections.OrderedDict called with arguments")
            }
            return PickleNode(.dict(PickleDict()))
        case .rebuildTensorV2:
            return PickleNode(.value(.tensor(try rebuildTensor(args))))
        case .modelOutput(let name, let fieldNames):
            guard args.count <= fieldNames.count else {
                throw .forbiddenCall(offset: opcodeOffset, reason: "\(name) called with \(args.count) arguments")
            }
            var fields = PickleDict()
            for (field, value) in zip(fieldNames, args) { fields.set(.string(field), value) }
            return PickleNode(.object(className: global.qualifiedName, fields: fields))
        case .storage, .dynamicCache:
            throw .forbiddenCall(offset: opcodeOffset, reason: "REDUCE of \(global.qualifiedName) is not allowed")
        }
    }

    /// NEWOBJ: `cls.__new__(cls, *arguments)`, only for `DynamicCache` with no arguments.
    mutating func newObject(cls: PickleNode, arguments: PickleNode) throws(TorchFileError) -> PickleNode {
        guard case .global(let global) = cls.kind, global == .dynamicCache else {
            throw .forbiddenCall(offset: opcodeOffset, reason: "NEWOBJ of \(cls.kindName) is not allowed")
        }
        guard case .tuple(let args) = arguments.kind, args.isEmpty else {
            throw .forbiddenCall(offset: opcodeOffset, reason: "NEWOBJ of \(global.qualifiedName) with arguments")
        }
        return PickleNode(.object(className: global.qualifiedName, fields: PickleDict()))
    }

    /// BUILD: sets an allowed object's attributes from a dict with string keys.
    mutating func build(_ target: PickleNode, state: PickleNode) throws(TorchFileError) {
        guard case .object(let name, var fields) = target.kind else {
            throw .forbiddenCall(offset: opcodeOffset, reason: "BUILD on a \(target.kindName), not an allowed object")
        }
        guard case .dict(let attributes) = state.kind else {
            throw .forbiddenCall(offset: opcodeOffset, reason: "BUILD of \(name) with a \(state.kindName) state")
        }
        for key in attributes.keys {
            guard case .string = key, let value = attributes.values[key] else {
                throw .forbiddenCall(offset: opcodeOffset, reason: "BUILD of \(name) with a non-string attribute")
            }
            fields.set(key, value)
        }
        target.kind = .object(className: name, fields: fields)
    }

    /// APPEND(S) onto a list.
    mutating func append(_ items: [PickleNode], to target: PickleNode) throws(TorchFileError) {
        guard case .list(var list) = target.kind else {
            throw .forbiddenCall(offset: opcodeOffset, reason: "APPEND to a \(target.kindName)")
        }
        target.kind = .value(.none)  // release the old array so appending does not copy it
        list.append(contentsOf: items)
        target.kind = .list(list)
    }

    /// SETITEM(S) into a dict, or into a model output (which is a mapping of its fields).
    mutating func setItems(_ items: [PickleNode], into target: PickleNode) throws(TorchFileError) {
        guard items.count % 2 == 0 else { throw fail("SETITEMS with an odd number of items") }
        var pairs: [(TorchDictKey, PickleNode)] = []
        for i in stride(from: 0, to: items.count, by: 2) {
            guard let key = items[i].dictKey else {
                throw .forbiddenCall(offset: opcodeOffset, reason: "dict key of type \(items[i].kindName)")
            }
            pairs.append((key, items[i + 1]))
        }
        switch target.kind {
        case .dict(var dict):
            for (key, value) in pairs { dict.set(key, value) }
            target.kind = .dict(dict)
        case .object(let name, var fields) where name == AllowedGlobal.baseModelOutputName:
            for (key, value) in pairs {
                guard case .string = key else {
                    throw .forbiddenCall(offset: opcodeOffset, reason: "SETITEM on \(name) with key \(key)")
                }
                fields.set(key, value)
            }
            target.kind = .object(className: name, fields: fields)
        default:
            throw .forbiddenCall(offset: opcodeOffset, reason: "SETITEM on a \(target.kindName)")
        }
    }

    /// BINPERSID: `('storage', storage_class, key, location, numel)` → the storage, loaded once per key.
    mutating func persistentLoad(_ pid: PickleNode) throws(TorchFileError) -> PickleNode {
        guard case .tuple(let parts) = pid.kind, parts.count == 5,
            case .value(.string("storage")) = parts[0].kind,
            case .global(.storage(let dtype, _)) = parts[1].kind,
            case .value(.string(let key)) = parts[2].kind,
            case .value(.string) = parts[3].kind,
            case .value(.int(let count)) = parts[4].kind
        else {
            throw .forbiddenCall(
                offset: opcodeOffset, reason: "persistent id is not ('storage', <storage class>, key, location, numel)")
        }
        guard count >= 0, TorchTensor.multiply(count, dtype.byteSize) != nil else {
            throw .badTensor("storage \(key) has impossible size \(count)")
        }
        if let known = storages[key] {
            guard known.dtype == dtype, known.elementCount == count else {
                throw .badTensor("storage \(key) is named twice with different types or sizes")
            }
            return PickleNode(.storage(known))
        }
        let storage = TorchStorage(key: key, dtype: dtype, bytes: try loadStorage(key, dtype, count))
        guard storage.bytes.count == count * dtype.byteSize else {
            throw .badTensor("storage \(key) holds \(storage.bytes.count) bytes, its record says \(count) \(dtype)")
        }
        storages[key] = storage
        return PickleNode(.storage(storage))
    }

    /// `_rebuild_tensor_v2(storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])`.
    private func rebuildTensor(_ args: [PickleNode]) throws(TorchFileError) -> TorchTensor {
        let what = "torch._utils._rebuild_tensor_v2"
        guard args.count == 6 || args.count == 7 else {
            throw .forbiddenCall(offset: opcodeOffset, reason: "\(what) called with \(args.count) arguments")
        }
        guard case .storage(let storage) = args[0].kind else {
            throw .forbiddenCall(offset: opcodeOffset, reason: "\(what) needs a storage, got \(args[0].kindName)")
        }
        guard case .value(.int(let offset)) = args[1].kind, offset >= 0 else {
            throw .badTensor("storage offset is not a non-negative int")
        }
        let shape = try intTuple(args[2], "size")
        let strides = try intTuple(args[3], "stride")
        guard case .value(.bool) = args[4].kind else { throw .badTensor("requires_grad is not a bool") }
        guard case .dict(let hooks) = args[5].kind, hooks.keys.isEmpty else {
            throw .forbiddenCall(offset: opcodeOffset, reason: "tensor with backward hooks")
        }
        if args.count == 7 {
            switch args[6].kind {
            case .value(.none): break
            case .dict(let metadata) where metadata.keys.isEmpty: break
            default: throw .forbiddenCall(offset: opcodeOffset, reason: "tensor with metadata (\(args[6].kindName))")
            }
        }
        let span = try TorchTensor.span(shape: shape, strides: strides)
        guard offset <= storage.elementCount, span <= storage.elementCount - offset else {
            throw .badTensor(
                "shape \(shape), strides \(strides) need \(span) elements from offset \(offset); "
                    + "storage \(storage.key) holds \(storage.elementCount)")
        }
        let size = storage.dtype.byteSize
        let bytes = Array(storage.bytes[(offset * size)..<((offset + span) * size)])
        return try TorchTensor(dtype: storage.dtype, shape: shape, strides: strides, bytes: bytes)
    }

    private func intTuple(_ node: PickleNode, _ what: String) throws(TorchFileError) -> [Int] {
        guard case .tuple(let items) = node.kind else { throw .badTensor("tensor \(what) is not a tuple") }
        var result: [Int] = []
        for item in items {
            guard case .value(.int(let value)) = item.kind else { throw .badTensor("tensor \(what) holds a non-int") }
            result.append(value)
        }
        return result
    }
}
