/// A raw DEFLATE (RFC 1951) decoder for zip members, written for safety rather than speed.
///
/// `torch.save` stores its members uncompressed, but a `.pt` file re-zipped by another tool may use deflate. Every
/// read is bounds-checked, the output may not grow past the size the zip directory declares, and any malformed
/// stream throws `TorchFileError.badZip`.
enum Inflate {
    /// Decompresses `input` (a raw deflate stream, no zlib header) that must produce exactly `expectedSize` bytes.
    static func decompress(_ input: ArraySlice<UInt8>, expectedSize: Int) throws(TorchFileError) -> [UInt8] {
        var state = State(input: input, limit: expectedSize)
        var last = false
        while !last {
            last = try state.bits(1) == 1
            switch try state.bits(2) {
            case 0: try state.stored()
            case 1: try state.codes(literal: Self.fixedLiteral, distance: Self.fixedDistance)
            case 2: try state.dynamic()
            default: throw .badZip("deflate block type 3 is invalid")
            }
        }
        guard state.output.count == expectedSize else {
            throw .badZip("deflate stream gave \(state.output.count) bytes, the directory says \(expectedSize)")
        }
        return state.output
    }

    /// A canonical Huffman code as counts per bit length and symbols in code order (the `puff.c` layout).
    struct Huffman {
        var counts = [Int](repeating: 0, count: 16)
        var symbols: [Int]

        init(lengths: [Int]) throws(TorchFileError) {
            symbols = [Int](repeating: 0, count: lengths.count)
            for length in lengths { counts[length] += 1 }
            var left = 1
            for length in 1..<16 {
                left = left * 2 - counts[length]
                guard left >= 0 else { throw .badZip("over-subscribed Huffman code in deflate stream") }
            }
            var offsets = [Int](repeating: 0, count: 16)
            for length in 1..<15 { offsets[length + 1] = offsets[length] + counts[length] }
            for (symbol, length) in lengths.enumerated() where length != 0 {
                symbols[offsets[length]] = symbol
                offsets[length] += 1
            }
        }
    }

    static let fixedLiteral: Huffman = fixed(
        [Int](repeating: 8, count: 144) + [Int](repeating: 9, count: 112) + [Int](repeating: 7, count: 24)
            + [Int](repeating: 8, count: 8))
    static let fixedDistance: Huffman = fixed([Int](repeating: 5, count: 30))

    private static func fixed(_ lengths: [Int]) -> Huffman {
        // The fixed tables are complete codes, so construction cannot fail; fall back to an empty code regardless.
        (try? Huffman(lengths: lengths)) ?? Huffman(empty: ())
    }

    private static let lengthBase = [
        3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227,
        258,
    ]
    private static let lengthExtra = [
        0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
    ]
    private static let distanceBase = [
        1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097,
        6145, 8193, 12289, 16385, 24577,
    ]
    private static let distanceExtra = [
        0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13,
    ]
    private static let codeLengthOrder = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]

    private struct State {
        let input: ArraySlice<UInt8>
        let limit: Int
        var position: Int
        var bitBuffer = 0
        var bitCount = 0
        var output: [UInt8] = []

        init(input: ArraySlice<UInt8>, limit: Int) {
            self.input = input
            self.limit = limit
            self.position = input.startIndex
            // Deflate expands at most 1032:1, so a lying size field cannot reserve more than that.
            output.reserveCapacity(min(limit, input.count * 1032 + 64))
        }

        mutating func bits(_ need: Int) throws(TorchFileError) -> Int {
            var value = bitBuffer
            while bitCount < need {
                guard position < input.endIndex else { throw .badZip("deflate stream is truncated") }
                value |= Int(input[position]) << bitCount
                position += 1
                bitCount += 8
            }
            bitBuffer = value >> need
            bitCount -= need
            return value & ((1 << need) - 1)
        }

        mutating func stored() throws(TorchFileError) {
            bitBuffer = 0
            bitCount = 0
            guard position + 4 <= input.endIndex else { throw .badZip("deflate stored block is truncated") }
            let length = Int(input[position]) | Int(input[position + 1]) << 8
            let check = Int(input[position + 2]) | Int(input[position + 3]) << 8
            position += 4
            guard length == (~check & 0xFFFF) else { throw .badZip("deflate stored block length check failed") }
            guard position + length <= input.endIndex else { throw .badZip("deflate stored block is truncated") }
            guard output.count + length <= limit else { throw .badZip("deflate output exceeds the declared size") }
            output.append(contentsOf: input[position..<(position + length)])
            position += length
        }

        mutating func decode(_ code: Huffman) throws(TorchFileError) -> Int {
            var value = 0
            var first = 0
            var index = 0
            for length in 1..<16 {
                value |= try bits(1)
                let count = code.counts[length]
                if value - count < first { return code.symbols[index + (value - first)] }
                index += count
                first = (first + count) << 1
                value <<= 1
            }
            throw .badZip("invalid Huffman code in deflate stream")
        }

        mutating func dynamic() throws(TorchFileError) {
            let literalCount = try bits(5) + 257
            let distanceCount = try bits(5) + 1
            let codeLengthCount = try bits(4) + 4
            guard literalCount <= 286, distanceCount <= 30 else { throw .badZip("bad deflate code counts") }
            var codeLengths = [Int](repeating: 0, count: 19)
            for i in 0..<codeLengthCount { codeLengths[Inflate.codeLengthOrder[i]] = try bits(3) }
            let lengthCode = try Huffman(lengths: codeLengths)
            var lengths: [Int] = []
            while lengths.count < literalCount + distanceCount {
                let symbol = try decode(lengthCode)
                if symbol < 16 {
                    lengths.append(symbol)
                    continue
                }
                var repeated = 0
                var count: Int
                switch symbol {
                case 16:
                    guard let previous = lengths.last else { throw .badZip("deflate repeat with no previous length") }
                    repeated = previous
                    count = 3 + (try bits(2))
                case 17: count = 3 + (try bits(3))
                default: count = 11 + (try bits(7))
                }
                guard lengths.count + count <= literalCount + distanceCount else {
                    throw .badZip("deflate code lengths overrun")
                }
                lengths.append(contentsOf: repeatElement(repeated, count: count))
            }
            guard lengths[256] != 0 else { throw .badZip("deflate block has no end-of-block code") }
            let literal = try Huffman(lengths: Array(lengths[0..<literalCount]))
            let distance = try Huffman(lengths: Array(lengths[literalCount...]))
            try codes(literal: literal, distance: distance)
        }

        mutating func codes(literal: Huffman, distance: Huffman) throws(TorchFileError) {
            while true {
                let symbol = try decode(literal)
                if symbol < 256 {
                    guard output.count < limit else { throw .badZip("deflate output exceeds the declared size") }
                    output.append(UInt8(symbol))
                } else if symbol == 256 {
                    return
                } else {
                    let lengthIndex = symbol - 257
                    guard lengthIndex < 29 else { throw .badZip("invalid deflate length symbol \(symbol)") }
                    let length = Inflate.lengthBase[lengthIndex] + (try bits(Inflate.lengthExtra[lengthIndex]))
                    let distanceSymbol = try decode(distance)
                    guard distanceSymbol < 30 else { throw .badZip("invalid deflate distance symbol") }
                    let back =
                        Inflate.distanceBase[distanceSymbol] + (try bits(Inflate.distanceExtra[distanceSymbol]))
                    guard back <= output.count else { throw .badZip("deflate distance reaches before the start") }
                    guard output.count + length <= limit else {
                        throw .badZip("deflate output exceeds the declared size")
                    }
                    let start = output.count - back
                    for i in 0..<length { output.append(output[start + i]) }
                }
            }
        }
    }
}

extension Inflate.Huffman {
    fileprivate init(empty: Void) {
        symbols = []
    }
}
