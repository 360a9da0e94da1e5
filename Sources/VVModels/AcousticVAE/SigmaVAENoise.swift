import Foundation
import VVCompute

/// The random numbers one σ-VAE sample draws: one N(0,1) scale per batch row and N(0,1) noise shaped like the mean.
///
/// Upstream `VibeVoiceTokenizerEncoderOutput.sample('gaussian')` draws `torch.randn(batch)` then
/// `torch.randn_like(mean)`; tests inject the values the reference drew, normal use draws them from `random(...)`.
public struct SigmaVAENoise: Sendable {
    /// Per batch row N(0,1) draws (before the `fix_std / 0.8` factor).
    public let scales: [Float]
    /// N(0,1) noise, the shape of the mean `[batch, frames, vaeDim]`.
    public let values: Tensor

    /// Wraps given draws.
    public init(scales: [Float], values: Tensor) {
        self.scales = scales
        self.values = values
    }

    /// Draws standard normal numbers (Box–Muller) for a mean of `shape` from `generator`.
    public static func random<G: RandomNumberGenerator>(
        shape: Shape, using generator: inout G, _ ctx: ComputeContext
    ) throws -> SigmaVAENoise {
        func normals(_ count: Int) -> [Float] {
            var out: [Float] = []
            out.reserveCapacity(count + 1)
            while out.count < count {
                let u1 = Double.random(in: Double.ulpOfOne..<1, using: &generator)
                let u2 = Double.random(in: 0..<1, using: &generator)
                let r = (-2 * log(u1)).squareRoot()
                out.append(Float(r * cos(2 * Double.pi * u2)))
                out.append(Float(r * sin(2 * Double.pi * u2)))
            }
            return Array(out.prefix(count))
        }
        let batch = shape.rank > 0 ? shape[0] : 1
        return SigmaVAENoise(scales: normals(batch), values: try ctx.upload(normals(shape.elementCount), shape: shape))
    }
}
