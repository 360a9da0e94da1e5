import Testing

@testable import VVText

@Suite struct NFCNormalizerTests {
    /// Pairs (input, NFC) from `tokenizers.normalizers.NFC().normalize_str` (0.21.4).
    static let reference: [(String, String)] = [
        ("e\u{301}", "\u{E9}"),
        ("\u{1100}\u{1161}\u{11A8}", "\u{AC01}"),
        ("x\u{301}\u{F73}", "x\u{F71}\u{F72}\u{301}"),  // Foundation on Linux gets this one wrong
        ("\u{212B}", "\u{C5}"),
        ("a\u{316}\u{301}\u{300}", "\u{E1}\u{316}\u{300}"),
        ("\u{958}", "\u{915}\u{93C}"),
        ("x\u{301}\u{7FD}", "x\u{301}\u{7FD}"),  // U+07FD is newer than tokenizers' tables: not reordered
        ("\u{1E9B}\u{323}", "\u{1E9B}\u{323}"),
        ("plain ascii", "plain ascii"),
    ]

    @Test(arguments: reference.indices)
    func matchesTokenizers(_ index: Int) {
        let (input, want) = Self.reference[index]
        #expect(NFCNormalizer.normalize(input).unicodeScalars.elementsEqual(want.unicodeScalars))
    }

    @Test func inertCheckHasNoFalsePositives() {
        let tables = UnicodeTables.shared
        // Every scalar the fast path skips must be unchanged by the full algorithm, alone and after a letter.
        for v in UInt32(0)..<0x3_0000 where !tables.isNFCUnsafe(v) && Unicode.Scalar(v) != nil {
            if NFCNormalizer.normalize([v]) != [v] || NFCNormalizer.normalize([0x61, v]) != [0x61, v] {
                Issue.record("scalar \(String(v, radix: 16)) is marked inert but changes")
                return
            }
        }
    }
}
