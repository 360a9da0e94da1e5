import Foundation
import Testing
import VVCompute
import VVComputeCPU
import VVModels

/// The σ-VAE acoustic encoder vs upstream `TokenizerEncoder` (`VibeVoiceAcousticTokenizerModel.encode`), fp32:
/// max-abs ≤ 1e-4 (relative above magnitude 1); chunked encoding equals one-shot.
struct TokenizerEncoderTests {
    /// 10001 samples (odd, not whole frames: ⌈10001/3200⌉ = 4 frames) with every stage output, and 12800 (whole
    /// frames); then streamed in 3200-sample chunks plus a final one, against the reference's streamed means and
    /// Swift's own one-shot.
    @Test(arguments: isaLevels)
    func acousticEncoderMatchesReference(isa: CPUBackend.ISA) throws {
        let t = try TinyTokenizers(isa: isa)
        let encoder = try #require(t.acoustic.encoder)
        try checkEncoder(t, name: "acoustic", encoder: encoder, vaeDim: 64)
    }

    /// Gaussian σ-VAE sampling with the reference's noise: `mean + randn(1)·(0.5/0.8)·randn_like(mean)`.
    @Test func gaussianSampleMatchesReference() throws {
        let t = try TinyTokenizers(isa: .scalar)
        for length in [10001, 12800] {
            let key = "acoustic\(length)"
            let mean = try t.ctx.upload(t.trace.floats("\(key).mean"), shape: [1, 4, 64])
            let noise = SigmaVAENoise(
                scales: try t.trace.floats("\(key).noise_scale"),
                values: try t.ctx.upload(t.trace.floats("\(key).noise"), shape: [1, 4, 64]))
            let sample = try t.acoustic.sample(mean: mean, noise: noise, t.ctx)
            expectMatches(try t.ctx.download(sample), try t.trace.floats("\(key).sample"), "\(key) gaussian sample")
            #expect(try t.ctx.download(t.acoustic.sample(mean: mean, noise: noise, distType: "none", t.ctx)) == t.trace.floats("\(key).mean"))
        }
        var generator = SystemRandomNumberGenerator()
        let drawn = try SigmaVAENoise.random(shape: [2, 3, 64], using: &generator, t.ctx)
        let values = try t.ctx.download(drawn.values)
        let mean = values.reduce(0, +) / Float(values.count)
        let variance = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Float(values.count)
        #expect(drawn.scales.count == 2 && abs(mean) < 0.25 && abs(variance - 1) < 0.35, "N(0,1) draws: \(mean), \(variance)")
    }

    /// ASR's long-audio path: 1,444,001 samples as one 1,440,000-sample (60 s) segment plus a final one, each
    /// through the streaming encoder, equals the reference's segmented means and Swift's one-shot encoding.
    @Test(arguments: isaLevels)
    func sixtySecondSegmentsMatchReference(isa: CPUBackend.ISA) throws {
        let t = try TinyTokenizers(isa: isa)
        let total = 1_444_001, segment = 1_440_000
        let audio = try t.ctx.upload(
            TokenizerRandomWeights.values("input.audio60s", count: total, scale: 0.5), shape: [1, 1, total])
        for name in ["acoustic", "semantic"] {
            var cache = TokenizerStreamingCache()
            var means: [Tensor] = []
            for start in stride(from: 0, to: total, by: segment) {
                let piece = try t.ctx.slice(audio, axis: 2, range: start..<min(start + segment, total))
                let final = start + segment >= total
                means.append(
                    name == "acoustic"
                        ? try t.acoustic.encode(piece, cache: &cache, isFinalChunk: final, t.ctx)
                        : try t.semantic.encode(piece, cache: &cache, isFinalChunk: final, t.ctx))
            }
            let segmented = try t.ctx.download(t.ctx.concat(means, axis: 1))
            expectMatches(segmented, try t.trace.floats("\(name)60s.segmented"), "\(name) 60 s segmented")
            let whole = name == "acoustic" ? try t.acoustic.encode(audio, t.ctx) : try t.semantic.encode(audio, t.ctx)
            let oneShot = try t.ctx.download(whole)
            #expect(whole.shape[1] == 452)
            let dim = whole.shape[2]
            expectMatches(Array(oneShot.suffix(8 * dim)), try t.trace.floats("\(name)60s.tail"), "\(name) 60 s one-shot tail")
            let drift = maxAbsDifference(segmented, oneShot)
            if ProcessInfo.processInfo.environment["VV_PRINT_ERRORS"] != nil { print("max-abs \(drift) \(name) 60 s segmented vs one-shot") }
            expectChunkedEqualsOneShot(drift, isa: t.isa, "\(name) 60 s")
        }
    }

    /// A non-final streaming chunk that is not whole frames is refused (it would break chunked == one-shot).
    @Test func refusesPartialFrameChunks() throws {
        let t = try TinyTokenizers(isa: .scalar)
        var cache = TokenizerStreamingCache()
        let audio = try t.ctx.zeros([1, 1, 3000])
        #expect(throws: ModelError.self) { try t.acoustic.encode(audio, cache: &cache, isFinalChunk: false, t.ctx) }
    }
}

/// Shared encoder checks (acoustic and semantic): stage taps and mean at 10001 samples, mean at 12800, streamed.
func checkEncoder(_ t: TinyTokenizers, name: String, encoder: TokenizerEncoder, vaeDim: Int) throws {
    for length in [10001, 12800] {
        let key = "\(name)\(length)"
        let audio = try t.ctx.upload(
            TokenizerRandomWeights.values("input.audio\(length)", count: length, scale: 0.5), shape: [1, 1, length])
        let taps = Taps()
        let mean = try encoder.forward(audio, t.ctx, taps: taps)
        #expect(mean.shape == [1, 4, vaeDim])
        if length == 10001 {
            for i in 0..<7 {
                let tapped = try #require(taps.tensors["stages.\(i)"])
                expectMatches(try t.channelMajorValues(tapped), try t.trace.floats("\(key).stages.\(i)"), "\(key) stage \(i)")
            }
        }
        let oneShot = try t.ctx.download(mean)
        expectMatches(oneShot, try t.trace.floats("\(key).mean"), "\(key) mean")
        var cache: TokenizerStreamingCache? = TokenizerStreamingCache()
        var means: [Tensor] = []
        for start in stride(from: 0, to: length, by: 3200) {
            let piece = try t.ctx.slice(audio, axis: 2, range: start..<min(start + 3200, length))
            means.append(try encoder.forward(piece, cache: &cache, isFinalChunk: start + 3200 >= length, t.ctx))
        }
        let streamed = try t.ctx.download(t.ctx.concat(means, axis: 1))
        expectMatches(streamed, try t.trace.floats("\(key).streamed"), "\(key) streamed")
        let drift = maxAbsDifference(streamed, oneShot)
        if ProcessInfo.processInfo.environment["VV_PRINT_ERRORS"] != nil { print("max-abs \(drift) \(key) streamed vs one-shot") }
        expectChunkedEqualsOneShot(drift, isa: t.isa, key)
    }
}

/// Chunked == one-shot: bit-exact on the portable kernels; on AVX2 the matmul's register blocking depends on the
/// number of rows (which chunking changes), so sums are grouped differently: ≤ 1e-5 there (measured ≤ 1.6e-6).
func expectChunkedEqualsOneShot(
    _ drift: Float, isa: CPUBackend.ISA, _ label: String, sourceLocation: SourceLocation = #_sourceLocation
) {
    if isa == .scalar {
        #expect(drift == 0, "\(label): chunked vs one-shot differ by \(drift)", sourceLocation: sourceLocation)
    } else {
        #expect(drift <= 1e-5, "\(label): chunked vs one-shot differ by \(drift)", sourceLocation: sourceLocation)
    }
}
