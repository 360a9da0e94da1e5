import Testing
import VVPlatform

/// Hand-checked bit patterns (IEEE 754 binary16 tables; bfloat16 is the top half of binary32).
struct HalfPrecisionTests {
    @Test func bf16KnownValues() {
        #expect(HalfPrecision.floatToBF16(1.0) == 0x3F80)
        #expect(HalfPrecision.floatToBF16(-2.0) == 0xC000)
        #expect(HalfPrecision.bf16ToFloat(0x3F81) == 1.0078125)
        // 1 + 2^-8 lies exactly between 0x3F80 and 0x3F81: ties go to even (0x3F80).
        #expect(HalfPrecision.floatToBF16(1.00390625) == 0x3F80)
        // 1 + 3*2^-8 lies between 0x3F81 and 0x3F82: ties go to even (0x3F82).
        #expect(HalfPrecision.floatToBF16(1.01171875) == 0x3F82)
        #expect(HalfPrecision.floatToBF16(.nan) & 0x7FC0 == 0x7FC0)
        #expect(HalfPrecision.floatToBF16(.infinity) == 0x7F80)
    }

    @Test func f16KnownValues() {
        #expect(HalfPrecision.floatToF16(1.0) == 0x3C00)
        #expect(HalfPrecision.floatToF16(-2.0) == 0xC000)
        #expect(HalfPrecision.floatToF16(65504) == 0x7BFF)
        #expect(HalfPrecision.floatToF16(65520) == 0x7C00)  // rounds up to infinity
        #expect(HalfPrecision.floatToF16(0x1p-24) == 0x0001)  // smallest subnormal
        #expect(HalfPrecision.floatToF16(0x1p-14) == 0x0400)  // smallest normal
        #expect(HalfPrecision.floatToF16(0.1) == 0x2E66)
        #expect(HalfPrecision.floatToF16(-0.0) == 0x8000)
        #expect(HalfPrecision.f16ToFloat(0x2E66) == 0.0999755859375)
        #expect(HalfPrecision.f16ToFloat(0x0001) == 0x1p-24)
        #expect(HalfPrecision.f16ToFloat(0x7C00) == .infinity)
        #expect(HalfPrecision.f16ToFloat(0x7E00).isNaN)
    }

    @Test func f16RoundTripsEveryFiniteValue() {
        for bits in UInt16(0)...UInt16.max where (bits & 0x7C00) != 0x7C00 {
            #expect(HalfPrecision.floatToF16(HalfPrecision.f16ToFloat(bits)) == bits)
        }
    }
}
