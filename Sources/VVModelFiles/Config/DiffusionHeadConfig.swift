/// The diffusion head configuration (`diffusion_head_config`).
///
/// Defaults follow `VibeVoiceDiffusionHeadConfig` in upstream `vibevoice/modular/configuration_vibevoice.py`.
public struct DiffusionHeadConfig: Decodable, Sendable, Equatable {
    /// `hidden_size`: default 768 (checkpoints set the LM hidden size).
    public var hiddenSize: Int
    /// `head_layers`: default 4.
    public var headLayers: Int
    /// `head_ffn_ratio`: default 3.0.
    public var headFfnRatio: Double
    /// `rms_norm_eps`: default 1e-5.
    public var rmsNormEps: Float
    /// `latent_size`: default 64.
    public var latentSize: Int
    /// `speech_vae_dim`: default nil.
    public var speechVaeDim: Int?
    /// `prediction_type`: default "v_prediction".
    public var predictionType: String
    /// `diffusion_type`: default "ddpm".
    public var diffusionType: String
    /// `ddpm_num_steps`: default 1000.
    public var ddpmNumSteps: Int
    /// `ddpm_num_inference_steps`: default 20.
    public var ddpmNumInferenceSteps: Int
    /// `ddpm_beta_schedule`: default "cosine".
    public var ddpmBetaSchedule: String

    /// The SwiGLU width, `int(hidden_size * head_ffn_ratio)` as upstream computes it.
    public var ffnSize: Int { Int(Double(hiddenSize) * headFfnRatio) }

    enum CodingKeys: String, CodingKey {
        case hiddenSize = "hidden_size", headLayers = "head_layers", headFfnRatio = "head_ffn_ratio"
        case rmsNormEps = "rms_norm_eps", latentSize = "latent_size", speechVaeDim = "speech_vae_dim"
        case predictionType = "prediction_type", diffusionType = "diffusion_type", ddpmNumSteps = "ddpm_num_steps"
        case ddpmNumInferenceSteps = "ddpm_num_inference_steps", ddpmBetaSchedule = "ddpm_beta_schedule"
    }

    /// Decodes with the upstream defaults.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        hiddenSize = try c.decodeIfPresent(Int.self, forKey: .hiddenSize) ?? 768
        headLayers = try c.decodeIfPresent(Int.self, forKey: .headLayers) ?? 4
        headFfnRatio = try c.decodeIfPresent(Double.self, forKey: .headFfnRatio) ?? 3.0
        rmsNormEps = try c.decodeIfPresent(Float.self, forKey: .rmsNormEps) ?? 1e-5
        latentSize = try c.decodeIfPresent(Int.self, forKey: .latentSize) ?? 64
        speechVaeDim = try c.decodeIfPresent(Int.self, forKey: .speechVaeDim)
        predictionType = try c.decodeIfPresent(String.self, forKey: .predictionType) ?? "v_prediction"
        diffusionType = try c.decodeIfPresent(String.self, forKey: .diffusionType) ?? "ddpm"
        ddpmNumSteps = try c.decodeIfPresent(Int.self, forKey: .ddpmNumSteps) ?? 1000
        ddpmNumInferenceSteps = try c.decodeIfPresent(Int.self, forKey: .ddpmNumInferenceSteps) ?? 20
        ddpmBetaSchedule = try c.decodeIfPresent(String.self, forKey: .ddpmBetaSchedule) ?? "cosine"
    }
}
