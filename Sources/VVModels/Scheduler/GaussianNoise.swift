import Foundation
import VVCompute

/// A seeded standard-normal generator for diffusion noise in normal use (xoshiro256** + Box–Muller, in Double,
/// rounded to Float).
///
/// This is **not** torch's generator: the same seed gives different numbers from `torch.randn`. Runs that must
/// match the Python reference number for number inject the reference's noise as a tensor instead (the samplers and
/// `DPMSolverMultistep.step` take noise tensors). The sequence for a seed is fixed and the same on every platform.
public struct GaussianNoise: Sendable {
    private var state: (UInt64, UInt64, UInt64, UInt64)
    private var spare: Double?

    /// Seeds the generator (any value, 0 included; the state is expanded with SplitMix64).
    public init(seed: UInt64) {
        var s = seed
        func splitMix() -> UInt64 {
            s &+= 0x9E37_79B9_7F4A_7C15
            var z = s
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        state = (splitMix(), splitMix(), splitMix(), splitMix())
    }

    private mutating func nextBits() -> UInt64 {
        let result = ((state.1 &* 5) << 7 | (state.1 &* 5) >> 57) &* 9
        let t = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= t
        state.3 = state.3 << 45 | state.3 >> 19
        return result
    }

    /// A uniform value in (0, 1) (never 0, so its logarithm is finite).
    private mutating func uniform() -> Double { (Double(nextBits() >> 11) + 0.5) * 0x1p-53 }

    /// The next standard-normal value.
    public mutating func next() -> Float {
        if let value = spare {
            spare = nil
            return Float(value)
        }
        let radius = (-2 * log(uniform())).squareRoot(), angle = 2 * Double.pi * uniform()
        spare = radius * sin(angle)
        return Float(radius * cos(angle))
    }

    /// `count` standard-normal values.
    public mutating func values(_ count: Int) -> [Float] { (0..<count).map { _ in next() } }

    /// A new f32 tensor of standard-normal values.
    public mutating func tensor(_ shape: Shape, _ ctx: ComputeContext) throws -> Tensor {
        try ctx.upload(values(shape.elementCount), shape: shape)
    }
}
