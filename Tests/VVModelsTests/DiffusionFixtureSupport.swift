import Foundation
import Testing
import VVCompute
import VVComputeCPU
import VVModelFiles
import VVModels

/// Relative error per element (`|a − e| / |e|`, absolute where `e` is 0) ≤ `tolerance`; returns the worst.
/// `VV_PRINT_ERRORS=1` prints it.
@discardableResult
func expectRelative(
    _ actual: [Float], _ expected: [Float], _ label: String, tolerance: Float,
    sourceLocation: SourceLocation = #_sourceLocation
) -> Float {
    #expect(
        actual.count == expected.count, "\(label): \(actual.count) vs \(expected.count)", sourceLocation: sourceLocation
    )
    var worst: Float = 0
    for (a, e) in zip(actual, expected) {
        let error = e == 0 ? abs(a) : abs(a - e) / abs(e)
        worst = max(worst, error.isNaN ? .infinity : error)
    }
    if ProcessInfo.processInfo.environment["VV_PRINT_ERRORS"] != nil { print("relative \(worst) \(label)") }
    #expect(worst <= tolerance, "\(label): relative error \(worst) > \(tolerance)", sourceLocation: sourceLocation)
    return worst
}

/// The tiny modules of `diffusion_weights.safetensors` (tools/reference/make_diffusion_fixtures.py), bound strictly:
/// every tensor of the file is used and `finish()` passes.
struct DiffusionFixture {
    /// The head config the fixture was made with (hidden 48, 2 layers, FFN 144, latent 16).
    static func headConfig() throws -> DiffusionHeadConfig {
        let json =
            #"{"hidden_size": 48, "head_layers": 2, "head_ffn_ratio": 3.0, "rms_norm_eps": 1e-5,"#
            + #" "latent_size": 16, "speech_vae_dim": 16}"#
        return try JSONDecoder().decode(DiffusionHeadConfig.self, from: Data(json.utf8))
    }
    static let hidden = 48, latent = 16, semantic = 24
    /// Path of the weights file.
    static let weightsPath = fixturePath("diffusion_weights.safetensors")

    let ctx: ComputeContext
    let head: DiffusionHead
    let acoustic: SpeechConnector
    let semantic: SpeechConnector
    let eos: EOSClassifier
    let scaling: SpeechLatentScaling
    let trace: Trace

    init(isa: CPUBackend.ISA = .detected, threads: Int = 2) throws {
        ctx = ComputeContext(backend: CPUBackend(threads: threads, isa: isa))
        let binder = WeightBinder(source: try SafetensorsFile(path: Self.weightsPath))
        let root = WeightScope(binder: binder, context: ctx)
        head = try DiffusionHead(config: Self.headConfig(), weights: root.child("model.prediction_head"))
        acoustic = try SpeechConnector(
            root.child("model.acoustic_connector"), inputSize: Self.latent, hiddenSize: Self.hidden)
        semantic = try SpeechConnector(
            root.child("model.semantic_connector"), inputSize: Self.semantic, hiddenSize: Self.hidden)
        eos = try EOSClassifier(root.child("tts_eos_classifier"), hiddenSize: Self.hidden)
        scaling = try SpeechLatentScaling(root.child("model"))
        try binder.finish()
        trace = try Trace("diffusion_trace.safetensors")
    }
}
