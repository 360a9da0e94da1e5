import Foundation
import Testing
import VVModelFiles

struct ModelConfigTests {
    /// Values from spec-tts.md §1.1 (the published realtime 0.5B config.json).
    static let realtimeJSON = """
        {"model_type":"vibevoice_streaming","architectures":["VibeVoiceStreamingForConditionalGenerationInference"],
         "acoustic_vae_dim":64,"tts_backbone_num_hidden_layers":20,"torch_dtype":"bfloat16",
         "decoder_config":{"model_type":"qwen2","hidden_size":896,"num_hidden_layers":24,"num_attention_heads":14,
           "num_key_value_heads":2,"intermediate_size":4864,"vocab_size":151936,"max_position_embeddings":8192,
           "rope_theta":1000000.0,"rope_scaling":null,"rms_norm_eps":1e-06,"hidden_act":"silu",
           "tie_word_embeddings":false,"use_sliding_window":false,"sliding_window":null,"max_window_layers":24},
         "diffusion_head_config":{"hidden_size":896,"head_layers":4,"head_ffn_ratio":3.0,"rms_norm_eps":1e-05,
           "latent_size":64,"speech_vae_dim":64,"prediction_type":"v_prediction","ddpm_num_inference_steps":20},
         "acoustic_tokenizer_config":{"vae_dim":64,"fix_std":0.5,"decoder_depths":null,"encoder_depths":"3-3-3-3-3-3-8"}}
        """

    @Test func parsesRealtimeConfig() throws {
        guard case .realtime(let config) = try ModelConfig.parse(Data(Self.realtimeJSON.utf8)) else {
            Issue.record("not recognised as realtime")
            return
        }
        #expect(config.decoder.hiddenSize == 896 && config.decoder.headDim == 64)
        #expect(config.decoder.numKeyValueHeads == 2 && config.decoder.ropeTheta == 1_000_000)
        #expect(config.ttsBackboneNumHiddenLayers == 20 && config.baseLayerCount == 4)
        #expect(config.diffusionHead.ffnSize == 2688)
        #expect(config.acousticTokenizer.encoderDepths == [3, 3, 3, 3, 3, 3, 8])
        #expect(config.acousticTokenizer.decoderDepths == nil)
        #expect(config.acousticTokenizer.decoderRatios == [8, 5, 5, 4, 2, 2])
    }

    @Test func parsesMultiSpeakerAndASR() throws {
        let decoder = #""decoder_config":{"model_type":"qwen2","hidden_size":1536,"num_hidden_layers":28,"num_attention_heads":12,"num_key_value_heads":2,"intermediate_size":8960,"vocab_size":151936,"rope_theta":1000000.0,"tie_word_embeddings":true}"#
        let tts = try ModelConfig.parse(Data(#"{"model_type":"vibevoice",\#(decoder),"diffusion_head_config":{"hidden_size":1536}}"#.utf8))
        guard case .multiSpeaker(let c) = tts else {
            Issue.record("not multi-speaker")
            return
        }
        #expect(c.decoder.headDim == 128 && c.tieWordEmbeddings)  // top-level default true (PretrainedConfig)
        #expect(c.semanticTokenizer.fixStd == 0 && c.semanticTokenizer.stdDistType == "none")
        #expect(c.acousticTokenizer.fixStd == 0.5 && c.diffusionHead.headLayers == 4)
        let asr = try ModelConfig.parse(Data(#"{"model_type":"vibevoice","architectures":["VibeVoiceForASRTraining"],\#(decoder)}"#.utf8))
        guard case .asr(let a) = asr else {
            Issue.record("not ASR")
            return
        }
        #expect(a.decoder.numHiddenLayers == 28 && a.tieWordEmbeddings == nil)
    }

    @Test func defaultsFollowTransformers() throws {
        let json = #"{"vocab_size":10,"hidden_size":8,"intermediate_size":16,"num_hidden_layers":1,"num_attention_heads":2}"#
        let config = try JSONDecoder().decode(Qwen2Config.self, from: Data(json.utf8))
        #expect(config.numKeyValueHeads == 2 && config.headDim == 4)
        #expect(config.ropeTheta == 10000 && config.rmsNormEps == 1e-6 && config.maxPositionEmbeddings == 32768)
        #expect(!config.tieWordEmbeddings && config.hiddenAct == "silu")
    }

    @Test(arguments: [
        (#"{"model_type":"vibevoice_streaming"}"#, "decoder_config"),
        (#"{"model_type":"vibevoice_streaming","decoder_config":{"hidden_size":8}}"#, "vocab_size"),
        (#"{"model_type":"whisper"}"#, "unknown model_type"),
        (#"{"model_type":"vibevoice_streaming","decoder_config":{"vocab_size":10,"hidden_size":8,"intermediate_size":16,"num_hidden_layers":2,"num_attention_heads":2,"num_key_value_heads":3}}"#, "num_key_value_heads"),
        (#"{"model_type":"vibevoice_streaming","decoder_config":{"vocab_size":10,"hidden_size":8,"intermediate_size":16,"num_hidden_layers":2,"num_attention_heads":2,"rope_scaling":{"type":"linear"}}}"#, "rope_scaling"),
        (#"{"model_type":"vibevoice_streaming","tts_backbone_num_hidden_layers":2,"decoder_config":{"vocab_size":10,"hidden_size":8,"intermediate_size":16,"num_hidden_layers":2,"num_attention_heads":2}}"#, "tts_backbone"),
        (#"{"model_type":"vibevoice_streaming","decoder_config":{"vocab_size":"ten","hidden_size":8}}"#, "vocab_size"),
    ])
    func refusesBadConfigsNamingTheKey(json: String, mention: String) {
        do {
            _ = try ModelConfig.parse(Data(json.utf8))
            Issue.record("accepted \(json)")
        } catch {
            #expect("\(error)".contains(mention), "\(error)")
        }
    }
}

/// The upstream repository's own config files, when the upstream checkout is on this machine (developer machines;
/// CI has none and skips loudly: the same decoding paths are covered by `ModelConfigTests` above).
struct UpstreamConfigFileTests {
    @Test(arguments: [("qwen2.5_1.5b_64k.json", 1536, 28, 12, 2), ("qwen2.5_7b_32k.json", 3584, 28, 28, 4)])
    func parsesUpstreamConfig(file: String, hidden: Int, layers: Int, heads: Int, kvHeads: Int) throws {
        let path = "/tmp/vv/vibevoice/configs/" + file
        guard FileManager.default.fileExists(atPath: path) else {
            print("SKIPPED parsesUpstreamConfig(\(file)): \(path) not present (upstream checkout absent)")
            return
        }
        guard case .multiSpeaker(let config) = try ModelConfig.load(path: path) else {
            Issue.record("\(file) not recognised as multi-speaker")
            return
        }
        #expect(config.decoder.hiddenSize == hidden && config.decoder.numHiddenLayers == layers)
        #expect(config.decoder.numAttentionHeads == heads && config.decoder.numKeyValueHeads == kvHeads)
        #expect(config.decoder.headDim == 128 && config.decoder.ropeTheta == 1_000_000)
        #expect(config.semanticTokenizer.vaeDim == 128 && config.acousticTokenizer.vaeDim == 64)
        #expect(config.diffusionHead.hiddenSize == hidden && config.diffusionHead.ffnSize == hidden * 3)
    }
}
