import Testing
import VVCompute
import VVComputeCPU
import VVModels

/// Batches: a batch of two streams equals each stream alone (convs, transposed-conv carries and caches keep their
/// rows apart), and the Gaussian sample scales each row by its own draw.
struct TokenizerBatchTests {
    /// The tiny decoder on two different latent sequences at once, one-shot and frame by frame, vs one at a time.
    @Test(arguments: isaLevels)
    func batchOfTwoDecodesLikeTwoSingles(isa: CPUBackend.ISA) throws {
        let t = try TinyTokenizers(isa: isa)
        let decoder = try #require(t.acoustic.decoder)
        let first = TokenizerRandomWeights.values("batch.first", count: 3 * 64, scale: 1.7)
        let second = TokenizerRandomWeights.values("batch.second", count: 3 * 64, scale: 1.7)
        let both = try decoder.forward(t.ctx.upload(first + second, shape: [2, 3, 64]), t.ctx)
        let alone = try [first, second].flatMap {
            try t.ctx.download(decoder.forward(t.ctx.upload($0, shape: [1, 3, 64]), t.ctx))
        }
        expectMatches(try t.ctx.download(both), alone, "\(isa) batch of 2 vs singles", tolerance: 1e-5)

        var cache = TokenizerStreamingCache()
        var streamed: [[Float]] = [[], []]
        for frame in 0..<3 {
            let latents =
                Array(first[(frame * 64)..<(frame * 64 + 64)]) + Array(second[(frame * 64)..<(frame * 64 + 64)])
            let audio = try t.ctx.download(
                decoder.decode(t.ctx.upload(latents, shape: [2, 1, 64]), cache: &cache, t.ctx))
            streamed[0] += audio[0..<3200]
            streamed[1] += audio[3200..<6400]
        }
        expectMatches(streamed[0] + streamed[1], alone, "\(isa) batch of 2 streamed vs singles", tolerance: 1e-5)
    }

    /// "gaussian" with two rows: row b is `mean_b + scales[b]·(0.5/0.8)·noise_b`, computed here by hand.
    @Test func gaussianSampleScalesEachRow() throws {
        let t = try TinyTokenizers(isa: .scalar)
        let mean: [Float] = [1, 2, 3, 4], noise: [Float] = [0.5, -1, 2, 0.25]
        let draws = SigmaVAENoise(scales: [0.8, -1.6], values: try t.ctx.upload(noise, shape: [2, 1, 2]))
        let sample = try t.acoustic.sample(mean: t.ctx.upload(mean, shape: [2, 1, 2]), noise: draws, t.ctx)
        let expected: [Float] = [1.25, 1.5, 1, 3.75]  // scales·0.625 = 0.5 and −1
        #expect(try t.ctx.download(sample) == expected)
        let fixed = try t.acoustic.sample(
            mean: t.ctx.upload(mean, shape: [2, 1, 2]), noise: draws, distType: "fix", t.ctx)
        let expectedFixed: [Float] = [1.25, 1.5, 4, 4.125]  // mean + 0.5·noise
        #expect(try t.ctx.download(fixed) == expectedFixed)
        #expect(throws: ModelError.self) {
            try t.acoustic.sample(mean: t.ctx.upload(mean, shape: [2, 1, 2]), noise: draws, distType: "laplace", t.ctx)
        }
    }
}
