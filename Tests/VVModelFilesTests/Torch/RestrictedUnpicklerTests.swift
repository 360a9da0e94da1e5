import Testing

@testable import VVModelFiles

@Suite("RestrictedUnpickler")
struct RestrictedUnpicklerTests {
    /// Runs `pickle` with storages served from `storages`, counting loads.
    private func run(
        _ pickle: PickleBytes, storages: [String: [UInt8]] = [:], loads: Counter? = nil
    ) throws(TorchFileError) -> TorchValue {
        var unpickler = RestrictedUnpickler(data: pickle.bytes) { (key, _, _) throws(TorchFileError) -> [UInt8] in
            loads?.value += 1
            guard let bytes = storages[key] else { throw .missingEntry(key) }
            return bytes
        }
        return try unpickler.load()
    }

    private final class Counter { var value = 0 }

    private func error(_ pickle: PickleBytes, storages: [String: [UInt8]] = [:]) -> TorchFileError? {
        TorchFixtures.error { _ = try run(pickle, storages: storages) }
    }

    @Test("a dict of a list of scalars")
    func plainDict() throws {
        // pickle.dumps({'a': [1, None, True]}, protocol=2), assembled by hand.
        var p = PickleBytes()
        p.op(0x7D)  // EMPTY_DICT
        p.string("a")
        p.op(0x5D)  // EMPTY_LIST
        p.mark()
        p.int(1)
        p.op(0x4E)  // NONE
        p.op(0x88)  // NEWTRUE
        p.op(0x65)  // APPENDS
        p.op(0x73)  // SETITEM
        p.stop()
        var expected = TorchDict()
        expected[.string("a")] = .list([.int(1), .none, .bool(true)])
        #expect(try run(p) == .dict(expected))
    }

    @Test("memo references share one container, filled after it was stored")
    func memoSharing() throws {
        // {'a': L, 'b': L} where L is appended to through its second reference only.
        var p = PickleBytes()
        p.op(0x7D)  // EMPTY_DICT
        p.mark()
        p.string("a")
        p.op(0x5D)  // EMPTY_LIST
        p.op(0x71, [0])  // BINPUT 0
        p.string("b")
        p.op(0x68, [0])  // BINGET 0
        p.int(9)
        p.op(0x61)  // APPEND
        p.op(0x75)  // SETITEMS
        p.stop()
        var expected = TorchDict()
        expected[.string("a")] = .list([.int(9)])
        expected[.string("b")] = .list([.int(9)])
        #expect(try run(p) == .dict(expected))
    }

    @Test("one storage key is loaded once even when two tensors use it")
    func storageOnce() throws {
        var p = PickleBytes()
        p.tensor(key: "0", numel: 4, offset: 0, size: [2], stride: [1])
        p.tensor(key: "0", numel: 4, offset: 2, size: [2], stride: [1])
        p.op(0x86)  // TUPLE2
        p.stop()
        let loads = Counter()
        let bits: [UInt8] = [0x80, 0x3F, 0x00, 0x40, 0x40, 0x40, 0x80, 0x40]  // bf16 1, 2, 3, 4
        let value = try run(p, storages: ["0": bits], loads: loads)
        #expect(loads.value == 1)
        let tensors = try #require(value.elements).compactMap(\.tensor)
        #expect(tensors.map { $0.floatValues() } == [[1, 2], [3, 4]])
        #expect(try tensors[1].halfBits() == [0x4040, 0x4080])
    }

    @Test("a tensor reaching past its storage is refused")
    func storageTooSmall() {
        var p = PickleBytes()
        p.tensor(key: "0", numel: 4, offset: 3, size: [2], stride: [1])
        p.stop()
        let error = error(p, storages: ["0": [UInt8](repeating: 0, count: 8)])
        #expect(error == .badTensor("shape [2], strides [1] need 2 elements from offset 3; storage 0 holds 4"))
    }

    @Test("a storage whose bytes disagree with its record is refused")
    func storageSizeMismatch() {
        var p = PickleBytes()
        p.tensor(key: "0", numel: 4, offset: 0, size: [2], stride: [1])
        p.stop()
        #expect(
            error(p, storages: ["0": [0, 0, 0, 0]]) == .badTensor("storage 0 holds 4 bytes, its record says 4 bfloat16")
        )
    }

    @Test("allowed globals used the wrong way are refused")
    func misuse() {
        var reduceCache = PickleBytes()
        reduceCache.global("transformers.cache_utils", "DynamicCache")
        reduceCache.op(0x29)
        reduceCache.op(0x52)  // REDUCE instead of NEWOBJ
        reduceCache.stop()
        #expect(isForbiddenCall(error(reduceCache), "REDUCE of transformers.cache_utils.DynamicCache"))

        var newDict = PickleBytes()
        newDict.global("collections", "OrderedDict")
        newDict.op(0x29)
        newDict.op(0x81)  // NEWOBJ
        newDict.stop()
        #expect(isForbiddenCall(error(newDict), "NEWOBJ of global collections.OrderedDict"))

        var dictArgs = PickleBytes()
        dictArgs.global("collections", "OrderedDict")
        dictArgs.op(0x5D)
        dictArgs.op(0x85)  // TUPLE1: ([],)
        dictArgs.op(0x52)
        dictArgs.stop()
        #expect(isForbiddenCall(error(dictArgs), "OrderedDict called with arguments"))

        var buildDict = PickleBytes()
        buildDict.op(0x7D)
        buildDict.op(0x7D)
        buildDict.op(0x62)  // BUILD on a plain dict
        buildDict.stop()
        #expect(isForbiddenCall(error(buildDict), "BUILD on a dict"))

        var reduceValue = PickleBytes()
        reduceValue.string("os.system")
        reduceValue.op(0x29)
        reduceValue.op(0x52)
        reduceValue.stop()
        #expect(isForbiddenCall(error(reduceValue), "REDUCE of a str"))

        var leftGlobal = PickleBytes()
        leftGlobal.global("collections", "OrderedDict")
        leftGlobal.stop()
        #expect(isForbiddenCall(error(leftGlobal), "left as a value"))
    }

    @Test("STACK_GLOBAL is checked against the same allow-list")
    func stackGlobal() {
        var p = PickleBytes()
        p.string("subprocess")
        p.string("Popen")
        p.op(0x93)
        p.stop()
        #expect(error(p) == .forbiddenGlobal(offset: 27, name: "subprocess.Popen"))
    }

    @Test(
        "opcodes outside the restricted set are refused",
        arguments: [
            UInt8(0x69), 0x6F, 0x50, 0x82, 0x92, 0x42, 0x31, 0x49,
        ])
    func refusedOpcodes(opcode: UInt8) {
        var p = PickleBytes()
        p.op(opcode, [0x61, 0x0A, 0x62, 0x0A])
        p.stop()
        #expect(error(p) == .unsupportedOpcode(offset: 2, opcode: opcode))
    }

    @Test("malformed streams are errors, not crashes")
    func malformed() {
        var underflow = PickleBytes()
        underflow.op(0x61)  // APPEND on an empty stack
        underflow.stop()
        #expect(error(underflow) == .badPickle(offset: 2, reason: "stack underflow"))

        var memo = PickleBytes()
        memo.op(0x68, [7])
        memo.stop()
        #expect(error(memo) == .badPickle(offset: 2, reason: "memo slot 7 is empty"))

        var twoItems = PickleBytes()
        twoItems.op(0x4E)
        twoItems.op(0x4E)
        twoItems.stop()
        #expect(error(twoItems) == .badPickle(offset: 4, reason: "STOP with 2 items on the stack"))

        var noStop = PickleBytes()
        noStop.op(0x4E)
        #expect(error(noStop) == .badPickle(offset: 3, reason: "pickle is truncated"))

        var longString = PickleBytes()
        longString.op(0x58, [0xFF, 0xFF, 0xFF, 0x7F, 0x61])
        #expect(error(longString) == .badPickle(offset: 2, reason: "pickle is truncated"))

        var noMark = PickleBytes()
        noMark.op(0x74)
        noMark.stop()
        #expect(error(noMark) == .badPickle(offset: 2, reason: "no MARK on the stack"))

        var hugeInt = PickleBytes()
        hugeInt.op(0x8A, [9] + [UInt8](repeating: 1, count: 9))
        hugeInt.stop()
        #expect(error(hugeInt) == .badPickle(offset: 2, reason: "integer of 9 bytes does not fit 64 bits"))

        var badKey = PickleBytes()
        badKey.op(0x7D)
        badKey.op(0x4E)
        badKey.int(1)
        badKey.op(0x73)
        badKey.stop()
        #expect(isForbiddenCall(error(badKey), "dict key of type None"))
    }

    @Test("a list that contains itself is refused")
    func cycle() {
        var p = PickleBytes()
        p.op(0x5D)
        p.op(0x71, [0])
        p.op(0x68, [0])
        p.op(0x61)  // list.append(list)
        p.stop()
        #expect(error(p) == .badPickle(offset: 8, reason: "the structure contains itself"))
    }

    @Test("nesting deeper than the limit is refused")
    func deepNesting() {
        var p = PickleBytes()
        for _ in 0..<(PickleConverter.maxDepth + 5) { p.op(0x5D) }
        for _ in 0..<(PickleConverter.maxDepth + 4) { p.op(0x61) }
        p.stop()
        guard case .badPickle(_, let reason) = error(p) else {
            Issue.record("expected badPickle")
            return
        }
        #expect(reason == "nesting deeper than \(PickleConverter.maxDepth)")
    }

    @Test("tensors with backward hooks or metadata are refused")
    func hooks() {
        var p = PickleBytes()
        p.global("torch._utils", "_rebuild_tensor_v2")
        p.mark()
        p.mark()
        p.string("storage")
        p.global("torch", "FloatStorage")
        p.string("0")
        p.string("cpu")
        p.int(1)
        p.op(0x74)
        p.op(0x51)
        p.int(0)
        p.op(0x29)
        p.op(0x29)
        p.op(0x89)
        p.op(0x7D)  // hooks dict with one entry
        p.int(1)
        p.int(2)
        p.op(0x73)
        p.op(0x74)
        p.op(0x52)
        p.stop()
        #expect(isForbiddenCall(error(p, storages: ["0": [0, 0, 0, 0]]), "tensor with backward hooks"))
    }

    @Test("every single-byte change of a real data.pkl is read or refused, never crashes")
    func mutatedPickles() throws {
        let archive = try ZipArchive(bytes: TorchFixtures.bytes("tiny_preset.pt"))
        let pickle = try archive.contents(of: try #require(archive.entry("tiny_preset/data.pkl")))
        var storages: [String: [UInt8]] = [:]
        for entry in archive.entries where entry.name.hasPrefix("tiny_preset/data/") {
            storages[String(entry.name.dropFirst("tiny_preset/data/".count))] = try archive.contents(of: entry)
        }
        let load: RestrictedUnpickler.StorageLoader = { [storages] (key, _, _) throws(TorchFileError) -> [UInt8] in
            guard let bytes = storages[key] else { throw .missingEntry(key) }
            return bytes
        }
        var refused = 0
        for position in pickle.indices {
            for replacement: UInt8 in [0xFF, pickle[position] ^ 0x01] {
                var mutated = pickle
                mutated[position] = replacement
                var unpickler = RestrictedUnpickler(data: mutated, loadStorage: load)
                if (try? unpickler.load()) == nil { refused += 1 }
            }
            if position.isMultiple(of: 5) {
                var shortened = RestrictedUnpickler(data: Array(pickle[..<position]), loadStorage: load)
                #expect(throws: TorchFileError.self) { _ = try shortened.load() }
            }
        }
        #expect(refused > pickle.count / 2)
    }

    private func isForbiddenCall(_ error: TorchFileError?, _ text: String) -> Bool {
        guard case .forbiddenCall(_, let reason) = error else { return false }
        return reason.contains(text)
    }
}
