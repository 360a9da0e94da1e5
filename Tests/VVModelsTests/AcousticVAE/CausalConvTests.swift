import Testing
import VVCompute
import VVComputeCPU
import VVModels

/// Single tokenizer modules vs upstream `SConv1d`, `Block1D`, `SConvTranspose1d` (fixture `vae_tiny_trace`), fp32,
/// odd lengths: max-abs ≤ 1e-4 (relative above magnitude 1), one-shot and streamed with the reference's cache.
struct CausalConvTests {
    /// Strided conv k10 s5 (`encoder.downsample_layers.4.0`) on 23 frames: one-shot (5 frames, right padding 2) and
    /// streamed as 10 + 10 + 3 (final chunk padded) like upstream's cache.
    @Test(arguments: isaLevels)
    func stridedConvMatchesReference(isa: CPUBackend.ISA) throws {
        let t = try TinyTokenizers(isa: isa)
        let conv = try #require(t.acoustic.encoder).downsampleLayers[3]
        #expect(conv.kernel == 10 && conv.stride == 5 && conv.paddingTotal == 5)
        #expect(conv.extraPadding(length: 23) == 2 && conv.extraPadding(length: 25) == 0 && conv.extraPadding(length: 3) == 2)
        let x = try t.channelMajor("sconv.input")
        expectMatches(try t.ctx.download(conv.forward(x, t.ctx)), try t.trace.floats("sconv.output"), "\(isa) sconv")
        var cache: TokenizerStreamingCache? = TokenizerStreamingCache()
        var pieces: [Tensor] = []
        for (range, final) in [(0..<10, false), (10..<20, false), (20..<23, true)] {
            pieces.append(try conv.forward(t.ctx.slice(x, axis: 2, range: range), cache: &cache, isFinalChunk: final, t.ctx))
        }
        expectMatches(
            try t.ctx.download(t.ctx.concat(pieces, axis: 2)), try t.trace.floats("sconv.streamed"), "\(isa) sconv streamed")
    }

    /// One `Block1D` (`encoder.stages.2.0`, 8 channels) on 29 time steps.
    @Test(arguments: isaLevels)
    func blockMatchesReference(isa: CPUBackend.ISA) throws {
        let t = try TinyTokenizers(isa: isa)
        let block = try #require(t.acoustic.encoder).stages[2][0]
        var none: TokenizerStreamingCache?
        let y = try block.forward(t.ctx.transpose(t.channelMajor("block.input")), cache: &none, isFinalChunk: true, t.ctx)
        expectMatches(try t.channelMajorValues(y), try t.trace.floats("block.output"), "\(isa) block")
    }

    /// Transposed conv k10 s5 (`decoder.upsample_layers.2.0`) on 7 frames → 35 samples, one-shot and streamed
    /// as 1 + 1 + 5 frames.
    @Test(arguments: isaLevels)
    func transposedConvMatchesReference(isa: CPUBackend.ISA) throws {
        let t = try TinyTokenizers(isa: isa)
        let conv = try #require(t.acoustic.decoder).upsampleLayers[1]
        #expect(conv.stride == 5 && conv.firstHalf.shape == [32 * 5, 64])
        let x = try t.ctx.transpose(t.channelMajor("convtr.input"))  // time-major [1, 7, 64]
        expectMatches(try t.channelMajorValues(conv.forward(x, t.ctx)), try t.trace.floats("convtr.output"), "\(isa) convtr")
        var cache: TokenizerStreamingCache? = TokenizerStreamingCache()
        let pieces = try [0..<1, 1..<2, 2..<7].map { range in
            try conv.forward(t.ctx.slice(x, axis: 1, range: range), cache: &cache, t.ctx)
        }
        expectMatches(
            try t.channelMajorValues(t.ctx.concat(pieces, axis: 1)), try t.trace.floats("convtr.streamed"),
            "\(isa) convtr streamed")
    }

    /// The generator behind the fixtures' weights and inputs reproduces the Python one bit for bit.
    @Test func generatorMatchesPython() throws {
        let trace = try Trace("vae_tiny_trace.safetensors")
        #expect(TokenizerRandomWeights.values("input.audio10001", count: 10001, scale: 0.5) == (try trace.floats("audio10001")))
    }
}
