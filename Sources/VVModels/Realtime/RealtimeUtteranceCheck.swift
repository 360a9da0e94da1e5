import VVCompute
import VVModelFiles

/// The same realtime utterance on two backends — a candidate (CUDA) against a reference (the CPU) — with the same
/// weights, voice prompt, text and injected noise, for a fixed number of frames (the EOS decision is ignored, so
/// both run exactly as long): the whole-pipeline half of `vibevoice selftest`.
///
/// Use well-conditioned random weights (`weightScale`). Bounds (written here, not tuned per run): over all frames, cosine ≥ 0.999 and max-abs ≤ 1e-3 × max(1,
/// max|reference|) for the latents and for the audio. The ops agree within 1e-4 each (summation order and libm);
/// the loop feeds each frame's latent back, so the whole-utterance bound is ten times looser. When the candidate
/// records graphs, it runs the utterance twice — per-frame steps recorded and replayed, and launched one by one —
/// and the two must be identical (the same kernels on the same inputs).
public enum RealtimeUtteranceCheck {
    /// The bound of the uniform random LM / diffusion-head matrices for this check (`RealtimeRandomWeights.make`):
    /// ±0.035, a standard deviation of 0.02 as transformers' `initializer_range`. With the benchmark's ±0.05 the
    /// random loop is chaotic: the CPU's own AVX2 and portable kernels, both exact to fp32 rounding, drift apart
    /// tenfold per frame (1.4e-4 after 2 frames, 1.7e-2 after 4, unrelated after 8), so no bound could tell a bug
    /// from rounding. At ±0.035 they agree within 1.8e-5 after 12 frames and 2.3e-5 after 48.
    public static let weightScale: Float = 0.035

    /// The cosine the latents and the audio must reach.
    public static let cosineMinimum = 0.999
    /// The max-abs bound, relative to the reference's largest magnitude (at least 1).
    public static let relativeBound: Float = 1e-3

    /// What one check found.
    public struct Result: Sendable, CustomStringConvertible {
        /// Frames compared.
        public let frames: Int
        /// Cosine similarity of all latents / all audio.
        public let latentCosine: Double
        public let audioCosine: Double
        /// Max-abs difference relative to max(1, max|reference|).
        public let latentMaxAbs: Float
        public let audioMaxAbs: Float
        /// Whether the recorded-graph run equals the op-by-op run exactly; nil when the candidate cannot record.
        public let graphsMatchEager: Bool?
        /// Frames each side produced (must both equal `frames`).
        public let candidateFrames: Int
        public let referenceFrames: Int

        /// Whether every bound holds.
        public var passed: Bool {
            candidateFrames == frames && referenceFrames == frames && latentCosine >= cosineMinimum
                && audioCosine >= cosineMinimum && latentMaxAbs <= relativeBound && audioMaxAbs <= relativeBound
                && graphsMatchEager != false
        }

        public var description: String {
            let graphs =
                graphsMatchEager.map { $0 ? "graphs = op by op: identical" : "graphs ≠ op by op" }
                ?? "graphs: not available"
            return String(
                format: "%@ realtime utterance, %d frames: latents cos %.6f max-abs %.2e, audio cos %.6f max-abs "
                    + "%.2e (bounds: cos ≥ %.3f, max-abs ≤ %.0e); %@",
                passed ? "PASS" : "FAIL", frames, latentCosine, latentMaxAbs, audioCosine, audioMaxAbs, cosineMinimum,
                relativeBound, graphs)
                + (candidateFrames == frames && referenceFrames == frames
                    ? "" : " (frames: candidate \(candidateFrames), reference \(referenceFrames))")
        }
    }

    /// Runs the check on `frames` frames of `textTokens` random tokens, noise and text drawn from `seed`.
    public static func run(
        config: VibeVoiceStreamingConfig, source: any TensorSource, preset: VoicePreset,
        candidate: any ComputeBackend, reference: any ComputeBackend, frames: Int = 12, textTokens: Int = 10,
        seed: UInt64 = 1
    ) throws -> Result {
        var noise = GaussianNoise(seed: seed)
        let latent = config.diffusionHead.latentSize
        let rows = (0..<frames).map { _ in noise.values(latent) }
        let vocab = max(1, min(config.decoder.vocabSize, 150_000))
        let ids = (0..<textTokens).map { Int32((Int(seed % 1000) * 7919 + $0 * 104_729) % vocab) }
        func utterance(_ backend: any ComputeBackend, graphs: Bool) throws -> (latents: [Float], audio: [Float], frames: Int) {
            let ctx = ComputeContext(backend: backend)
            let model = try RealtimeModel(config: config, source: source, context: ctx)
            var options = RealtimeOptions()
            options.ignoresEndOfSpeech = true
            options.capturesGraphs = graphs
            var session = try RealtimeSession(
                model: model, preset: preset, textIDs: ids, options: options, noise: .rows(rows),
                context: ComputeContext(backend: backend.makeRequestBackend()))
            var latents: [Float] = [], audio: [Float] = []
            while session.framesProduced < frames, let frame = try session.nextFrame() {
                latents += frame.latent
                audio += frame.audio
            }
            return (latents, audio, session.framesProduced)
        }
        let expected = try utterance(reference, graphs: false)
        let actual = try utterance(candidate, graphs: true)
        var graphsMatch: Bool?
        if let recorder = candidate as? any GraphCapturingBackend, recorder.canCaptureGraphs {
            let eager = try utterance(candidate, graphs: false)
            graphsMatch = eager.latents == actual.latents && eager.audio == actual.audio
        }
        let latents = Agreement(actual.latents, expected.latents), audio = Agreement(actual.audio, expected.audio)
        return Result(
            frames: frames, latentCosine: latents.cosine, audioCosine: audio.cosine,
            latentMaxAbs: latents.relativeMaxAbs, audioMaxAbs: audio.relativeMaxAbs,
            graphsMatchEager: graphsMatch, candidateFrames: actual.frames, referenceFrames: expected.frames)
    }
}
