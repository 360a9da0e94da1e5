/// A pickle reader that rebuilds only what `torch.save` writes for tensors and the voice presets, and executes nothing.
///
/// It implements the opcodes of pickle protocol 2 that torch emits (plus the harmless protocol-4 framing and string
/// forms), resolves globals against `AllowedGlobal` and applies a fixed rebuild rule to each. Any other global is
/// refused by name when it is read, before it could be used; REDUCE, NEWOBJ and BUILD only accept the combinations in
/// `RestrictedUnpickler+Rebuild.swift`. Storages come from `loadStorage`, called once per storage key.
struct RestrictedUnpickler {
    /// Fetches a storage's bytes for a persistent id `('storage', class, key, location, numel)`; it must return
    /// exactly `numel * dtype.byteSize` bytes or throw.
    typealias StorageLoader = (_ key: String, _ dtype: TorchDType, _ elementCount: Int) throws(TorchFileError) ->
        [UInt8]

    let data: [UInt8]
    let loadStorage: StorageLoader
    var position = 0
    /// Offset of the opcode being executed, for error messages.
    var opcodeOffset = 0
    var stack: [PickleNode] = []
    var marks: [Int] = []
    var memo: [Int: PickleNode] = [:]
    var storages: [String: TorchStorage] = [:]

    /// Creates a reader over a whole `data.pkl`.
    init(data: [UInt8], loadStorage: @escaping StorageLoader) {
        self.data = data
        self.loadStorage = loadStorage
    }

    /// Runs the pickle to its STOP and returns the value it built.
    mutating func load() throws(TorchFileError) -> TorchValue {
        while true {
            opcodeOffset = position
            let opcode = try byte()
            if opcode == 0x2E {  // STOP
                guard stack.count == 1, marks.isEmpty else { throw fail("STOP with \(stack.count) items on the stack") }
                var converter = PickleConverter(offset: opcodeOffset)
                return try converter.convert(stack[0])
            }
            try execute(opcode)
        }
    }

    // swiftlint:disable:next cyclomatic_complexity function_body_length
    private mutating func execute(_ opcode: UInt8) throws(TorchFileError) {
        switch opcode {
        case 0x80:  // PROTO
            let version = try byte()
            guard version <= 5 else { throw fail("pickle protocol \(version) is not supported") }
        case 0x95: _ = try bytes(8)  // FRAME (protocol 4): only a length hint
        case 0x28: marks.append(stack.count)  // MARK
        case 0x7D: push(.dict(PickleDict()))  // EMPTY_DICT
        case 0x5D: push(.list([]))  // EMPTY_LIST
        case 0x29: push(.tuple([]))  // EMPTY_TUPLE
        case 0x74: push(.tuple(try popToMark()))  // TUPLE
        case 0x85, 0x86, 0x87:  // TUPLE1..3
            push(.tuple(try pop(Int(opcode) - 0x84)))
        case 0x6C: push(.list(try popToMark()))  // LIST
        case 0x64:  // DICT
            let node = PickleNode(.dict(PickleDict()))
            try setItems(try popToMark(), into: node)
            stack.append(node)
        case 0x71: try put(Int(try byte()))  // BINPUT
        case 0x72: try put(Int(try uint32()))  // LONG_BINPUT
        case 0x94: try put(memo.count)  // MEMOIZE
        case 0x68: try get(Int(try byte()))  // BINGET
        case 0x6A: try get(Int(try uint32()))  // LONG_BINGET
        case 0x4A: push(.value(.int(Int(Int32(bitPattern: try uint32())))))  // BININT
        case 0x4B: push(.value(.int(Int(try byte()))))  // BININT1
        case 0x4D: push(.value(.int(Int(try uint16()))))  // BININT2
        case 0x8A: push(.value(.int(try long1())))  // LONG1
        case 0x47:  // BINFLOAT, big-endian
            var raw: UInt64 = 0
            for b in try bytes(8) { raw = raw << 8 | UInt64(b) }
            push(.value(.float(Double(bitPattern: raw))))
        case 0x4E: push(.value(.none))  // NONE
        case 0x88: push(.value(.bool(true)))  // NEWTRUE
        case 0x89: push(.value(.bool(false)))  // NEWFALSE
        case 0x58: push(.value(.string(try string(length: Int(try uint32())))))  // BINUNICODE
        case 0x8C: push(.value(.string(try string(length: Int(try byte())))))  // SHORT_BINUNICODE
        case 0x61:  // APPEND
            let item = try pop(1)
            try append(item, to: try top())
        case 0x65:  // APPENDS
            let items = try popToMark()
            try append(items, to: try top())
        case 0x73:  // SETITEM
            let pair = try pop(2)
            try setItems(pair, into: try top())
        case 0x75:  // SETITEMS
            let items = try popToMark()
            try setItems(items, into: try top())
        case 0x63:  // GLOBAL
            let module = try line()
            let name = try line()
            push(.global(try resolveGlobal(module: module, name: name)))
        case 0x93:  // STACK_GLOBAL
            let parts = try pop(2)
            guard case .value(.string(let module)) = parts[0].kind, case .value(.string(let name)) = parts[1].kind
            else { throw fail("STACK_GLOBAL needs two strings") }
            push(.global(try resolveGlobal(module: module, name: name)))
        case 0x52:  // REDUCE
            let parts = try pop(2)
            stack.append(try reduce(callable: parts[0], arguments: parts[1]))
        case 0x81:  // NEWOBJ
            let parts = try pop(2)
            stack.append(try newObject(cls: parts[0], arguments: parts[1]))
        case 0x62:  // BUILD
            let state = try pop(1)[0]
            try build(try top(), state: state)
        case 0x51:  // BINPERSID
            stack.append(try persistentLoad(try pop(1)[0]))
        default:
            throw .unsupportedOpcode(offset: opcodeOffset, opcode: opcode)
        }
    }

    // MARK: Stack and memo

    func fail(_ reason: String) -> TorchFileError {
        .badPickle(offset: opcodeOffset, reason: reason)
    }

    private mutating func push(_ kind: PickleNode.Kind) {
        stack.append(PickleNode(kind))
    }

    private func top() throws(TorchFileError) -> PickleNode {
        guard let last = stack.last, (marks.last ?? 0) < stack.count else { throw fail("stack is empty") }
        return last
    }

    private mutating func pop(_ count: Int) throws(TorchFileError) -> [PickleNode] {
        guard stack.count - count >= (marks.last ?? 0) else { throw fail("stack underflow") }
        let items = Array(stack[(stack.count - count)...])
        stack.removeLast(count)
        return items
    }

    private mutating func popToMark() throws(TorchFileError) -> [PickleNode] {
        guard let mark = marks.popLast() else { throw fail("no MARK on the stack") }
        let items = Array(stack[mark...])
        stack.removeLast(stack.count - mark)
        return items
    }

    private mutating func put(_ index: Int) throws(TorchFileError) {
        memo[index] = try top()
    }

    private mutating func get(_ index: Int) throws(TorchFileError) {
        guard let node = memo[index] else { throw fail("memo slot \(index) is empty") }
        stack.append(node)
    }

    // MARK: Reading arguments

    private mutating func bytes(_ count: Int) throws(TorchFileError) -> ArraySlice<UInt8> {
        guard count >= 0, count <= data.count - position else { throw fail("pickle is truncated") }
        defer { position += count }
        return data[position..<(position + count)]
    }

    private mutating func byte() throws(TorchFileError) -> UInt8 {
        try bytes(1).first ?? 0
    }

    private mutating func uint16() throws(TorchFileError) -> UInt16 {
        let b = try bytes(2)
        return UInt16(b[b.startIndex]) | UInt16(b[b.startIndex + 1]) << 8
    }

    private mutating func uint32() throws(TorchFileError) -> UInt32 {
        var value: UInt32 = 0
        for (i, b) in try bytes(4).enumerated() { value |= UInt32(b) << (8 * i) }
        return value
    }

    /// LONG1: a little-endian two's-complement integer of up to 8 bytes (longer ones cannot fit `Int`).
    private mutating func long1() throws(TorchFileError) -> Int {
        let count = Int(try byte())
        guard count <= 8 else { throw fail("integer of \(count) bytes does not fit 64 bits") }
        let raw = try bytes(count)
        guard count > 0 else { return 0 }
        var value: UInt64 = 0
        for (i, b) in raw.enumerated() { value |= UInt64(b) << (8 * i) }
        if count < 8, raw[raw.endIndex - 1] & 0x80 != 0 { value |= ~0 << (8 * count) }
        return Int(Int64(bitPattern: value))
    }

    private mutating func string(length: Int) throws(TorchFileError) -> String {
        let raw = try bytes(length)
        let text = String(decoding: raw, as: UTF8.self)
        guard text.utf8.elementsEqual(raw) else { throw fail("string is not valid UTF-8") }
        return text
    }

    /// A newline-terminated ASCII line (GLOBAL's module and name), at most 256 bytes.
    private mutating func line() throws(TorchFileError) -> String {
        let limit = min(data.count, position + 257)
        guard let end = data[position..<limit].firstIndex(of: 0x0A) else { throw fail("unterminated GLOBAL name") }
        let text = try string(length: end - position)
        position += 1
        return text
    }

    private func resolveGlobal(module: String, name: String) throws(TorchFileError) -> AllowedGlobal {
        guard let global = AllowedGlobal(module: module, name: name) else {
            throw .forbiddenGlobal(offset: opcodeOffset, name: "\(module).\(name)")
        }
        return global
    }
}
