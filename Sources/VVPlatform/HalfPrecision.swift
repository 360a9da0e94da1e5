/// Conversions between `Float` and 16-bit floating-point bit patterns (IEEE binary16 and bfloat16).
///
/// Half-precision values are kept as `UInt16` bit patterns everywhere in vibevoice, because the Swift `Float16` type
/// is not available on Windows. Rounding from `Float` is round-to-nearest-even, as PyTorch does; NaN stays NaN.
public enum HalfPrecision {
    /// Widens a bfloat16 bit pattern to `Float` (exact: a 16-bit shift).
    @inlinable
    public static func bf16ToFloat(_ bits: UInt16) -> Float {
        Float(bitPattern: UInt32(bits) << 16)
    }

    /// Rounds a `Float` to the nearest bfloat16 (ties to even), returning its bit pattern.
    @inlinable
    public static func floatToBF16(_ value: Float) -> UInt16 {
        let bits = value.bitPattern
        if value.isNaN { return UInt16(truncatingIfNeeded: (bits >> 16) | 0x40) }
        let rounding = UInt32(0x7FFF) &+ ((bits >> 16) & 1)
        return UInt16(truncatingIfNeeded: (bits &+ rounding) >> 16)
    }

    /// Widens an IEEE binary16 bit pattern to `Float` (exact, subnormals included).
    @inlinable
    public static func f16ToFloat(_ bits: UInt16) -> Float {
        let sign = UInt32(bits & 0x8000) << 16
        let exponent = Int((bits >> 10) & 0x1F)
        let mantissa = UInt32(bits & 0x3FF)
        if exponent == 0x1F {
            return Float(bitPattern: sign | 0x7F80_0000 | (mantissa << 13))
        }
        if exponent == 0 {
            if mantissa == 0 { return Float(bitPattern: sign) }
            let magnitude = Float(mantissa) * 0x1p-24
            return sign == 0 ? magnitude : -magnitude
        }
        return Float(bitPattern: sign | UInt32(exponent + 112) << 23 | (mantissa << 13))
    }

    /// Rounds a `Float` to the nearest IEEE binary16 (ties to even, overflow to infinity), returning its bit pattern.
    @inlinable
    public static func floatToF16(_ value: Float) -> UInt16 {
        let bits = value.bitPattern
        let sign = UInt16((bits >> 16) & 0x8000)
        let magnitude = bits & 0x7FFF_FFFF
        if magnitude >= 0x7F80_0000 {
            return sign | 0x7C00 | (magnitude > 0x7F80_0000 ? 0x200 : 0)
        }
        if magnitude >= 0x4780_0000 { return sign | 0x7C00 }  // >= 65536: overflow
        if magnitude < 0x3880_0000 {  // below the smallest normal half (2^-14): subnormal or zero
            let scaled = Float(bitPattern: magnitude) * 0x1p24  // in units of 2^-24
            let rounded = scaled.rounded(.toNearestOrEven)
            return sign | UInt16(rounded)
        }
        let rounding = UInt32(0xFFF) &+ ((magnitude >> 13) & 1)
        let shifted = (magnitude &+ rounding) >> 13
        return sign | UInt16(truncatingIfNeeded: shifted &- (112 << 10))
    }
}
