import Testing
import VVCompute
import VVComputeCPU
import VVModels

/// The semantic encoder vs upstream `VibeVoiceSemanticTokenizerModel.encode` (fixture `vae_tiny_trace`, 128-d head),
/// fp32: stage outputs and means at max-abs ≤ 1e-4; 3200-sample chunks (the 1.5B's per-frame feedback) equal
/// one-shot.
struct SemanticTokenizerTests {
    @Test(arguments: isaLevels)
    func semanticEncoderMatchesReference(isa: CPUBackend.ISA) throws {
        let t = try TinyTokenizers(isa: isa)
        try checkEncoder(t, name: "semantic", encoder: t.semantic.encoder, vaeDim: 128)
    }

    /// One 128-d frame comes out per 3200-sample chunk.
    @Test func oneFramePerChunk() throws {
        let t = try TinyTokenizers(isa: .scalar)
        var cache = TokenizerStreamingCache()
        let audio = try t.ctx.upload(TokenizerRandomWeights.values("chunk", count: 3200, scale: 0.5), shape: [1, 1, 3200])
        for _ in 0..<3 {
            #expect(try t.semantic.encode(audio, cache: &cache, isFinalChunk: false, t.ctx).shape == [1, 1, 128])
        }
    }
}
