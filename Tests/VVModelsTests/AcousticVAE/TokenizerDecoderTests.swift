import Foundation
import Testing
import VVCompute
import VVComputeCPU
import VVModelFiles
import VVModels

/// The σ-VAE decoder vs upstream `TokenizerDecoder` (`VibeVoiceAcousticTokenizerModel.decode`), fp32: every stage
/// output and the audio at max-abs ≤ 1e-4 (relative above magnitude 1); streaming frame by frame equals one-shot.
struct TokenizerDecoderTests {
    /// Tiny decoder (fixture `vae_tiny_trace`), 5 latent frames → 16000 samples, one-shot with stage taps, then
    /// frame by frame with a streaming cache against both the reference's one-shot and its own streamed output.
    @Test(arguments: isaLevels)
    func tinyDecoderMatchesReference(isa: CPUBackend.ISA) throws {
        let t = try TinyTokenizers(isa: isa)
        let latents = try t.ctx.upload(t.trace.floats("decoder.latents"), shape: [1, 5, 64])
        let taps = Taps()
        let audio = try t.acoustic.decode(latents, t.ctx, taps: taps)
        #expect(audio.shape == [1, 1, 16000])
        for i in 0..<7 {
            let tapped = try #require(taps.tensors["stages.\(i)"])
            expectMatches(try t.channelMajorValues(tapped), try t.trace.floats("decoder.stages.\(i)"), "\(isa) stage \(i)")
        }
        let oneShot = try t.ctx.download(audio)
        expectMatches(oneShot, try t.trace.floats("decoder.audio"), "\(isa) decoder audio")

        var cache = TokenizerStreamingCache()
        var streamed: [Float] = []
        for frame in 0..<5 {
            let chunk = try t.acoustic.decode(latents.reshaped([5, 1, 64]).rows(frame..<(frame + 1)), cache: &cache, t.ctx)
            #expect(chunk.shape == [1, 1, 3200])
            streamed += try t.ctx.download(chunk)
        }
        #expect(cache.count == 1 + 8 + 6 + 1)  // stem, 8 mixers (stage 0 has 2 blocks), 6 transposed convs, head
        expectMatches(streamed, try t.trace.floats("decoder.streamed"), "\(isa) decoder streamed vs reference streamed")
        let drift = maxAbsDifference(streamed, oneShot)
        #expect(drift <= 1e-5, "streaming vs one-shot: \(drift)")
        if ProcessInfo.processInfo.environment["VV_PRINT_ERRORS"] != nil { print("max-abs \(drift) streamed vs one-shot") }
    }

    /// The decoder at the real channel widths (2048 → 32, transposed kernels 16/10/10/8/4/4) with one block per stage
    /// and seeded weights (fixture `vae_full_trace`): 2 frames → 6400 samples, stages 0–3 and the audio; then the
    /// same latents frame by frame.
    @Test(arguments: isaLevels)
    func fullWidthDecoderMatchesReference(isa: CPUBackend.ISA) throws {
        let ctx = ComputeContext(backend: CPUBackend(threads: 2, isa: isa))
        let json = #"{"vae_dim": 64, "decoder_n_filters": 32, "decoder_depths": "1-1-1-1-1-1-1"}"#
        let config = try JSONDecoder().decode(AcousticTokenizerConfig.self, from: Data(json.utf8)).value
        let weights = TokenizerRandomWeights.make(
            config: config, prefix: "model.acoustic_tokenizer.", encoder: false, decoder: true)
        let binder = WeightBinder(source: weights)
        let model = try AcousticTokenizer(
            config: config, weights: WeightScope(binder: binder, context: ctx).child("model.acoustic_tokenizer"),
            encoder: false)
        try binder.finish()
        let trace = try Trace("vae_full_trace.safetensors")
        let latents = try ctx.upload(trace.floats("latents"), shape: [1, 2, 64])
        let taps = Taps()
        let audio = try model.decode(latents, ctx, taps: taps)
        for i in 0..<4 {
            let tapped = try #require(taps.tensors["stages.\(i)"])
            expectMatches(try ctx.download(ctx.transpose(tapped)), try trace.floats("decoder.stages.\(i)"), "\(isa) full stage \(i)")
        }
        let oneShot = try ctx.download(audio)
        expectMatches(oneShot, try trace.floats("audio"), "\(isa) full decoder audio")
        var cache = TokenizerStreamingCache()
        var streamed: [Float] = []
        for frame in 0..<2 {
            streamed += try ctx.download(model.decode(latents.reshaped([2, 1, 64]).rows(frame..<(frame + 1)), cache: &cache, ctx))
        }
        expectMatches(streamed, try trace.floats("audio"), "\(isa) full decoder streamed")
    }
}
