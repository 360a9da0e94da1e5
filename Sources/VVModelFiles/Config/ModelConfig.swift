import Foundation

/// A VibeVoice config.json, recognised as one of the three model families.
public enum ModelConfig: Sendable, Equatable {
    /// Realtime 0.5B (`model_type` "vibevoice_streaming").
    case realtime(VibeVoiceStreamingConfig)
    /// Multi-speaker 1.5B / 7B (`model_type` "vibevoice" or the repo's "vibepod", with a diffusion head).
    case multiSpeaker(VibeVoiceConfig)
    /// ASR (`model_type` "vibevoice" with an ASR architecture, or without a diffusion head).
    case asr(VibeVoiceASRConfig)

    /// The Qwen2 decoder config of whichever family.
    public var decoder: Qwen2Config {
        switch self {
        case .realtime(let c): c.decoder
        case .multiSpeaker(let c): c.decoder
        case .asr(let c): c.decoder
        }
    }

    /// Reads and decodes the config.json at `path`.
    /// - Throws: `CheckpointError.io` or `.invalidConfig` naming the bad key.
    public static func load(path: String) throws -> ModelConfig {
        guard FileManager.default.fileExists(atPath: path) else {
            throw CheckpointError.io(path: path, reason: "no such file")
        }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw CheckpointError.io(path: path, reason: (error as NSError).localizedDescription)
        }
        return try parse(data, path: path)
    }

    /// Decodes config.json contents; `path` only labels errors.
    /// - Throws: `CheckpointError.invalidConfig`.
    public static func parse(_ data: Data, path: String = "config.json") throws -> ModelConfig {
        struct Probe: Decodable {
            let modelType: String?
            let architectures: [String]?
            let diffusionHead: DiffusionProbe?
            struct DiffusionProbe: Decodable {}
            enum CodingKeys: String, CodingKey {
                case modelType = "model_type", architectures, diffusionHead = "diffusion_head_config"
            }
        }
        do {
            let probe = try JSONDecoder().decode(Probe.self, from: data)
            let type = probe.modelType ?? ""
            let isASR = (probe.architectures ?? []).contains { $0.contains("ASR") }
            if type == "vibevoice_streaming" {
                return .realtime(try JSONDecoder().decode(VibeVoiceStreamingConfig.self, from: data))
            }
            guard type == "vibevoice" || type.hasPrefix("vibepod") else {
                throw CheckpointError.invalidConfig(path: path, reason: "unknown model_type '\(type)'")
            }
            if isASR || probe.diffusionHead == nil {
                return .asr(try JSONDecoder().decode(VibeVoiceASRConfig.self, from: data))
            }
            return .multiSpeaker(try JSONDecoder().decode(VibeVoiceConfig.self, from: data))
        } catch let error as CheckpointError {
            throw error
        } catch let DecodingError.keyNotFound(key, context) {
            throw CheckpointError.invalidConfig(path: path, reason: "missing key '\(Self.keyPath(context, key))'")
        } catch let DecodingError.dataCorrupted(context) {
            throw CheckpointError.invalidConfig(
                path: path, reason: "\(Self.keyPath(context, nil)): \(context.debugDescription)")
        } catch let DecodingError.typeMismatch(_, context) {
            throw CheckpointError.invalidConfig(path: path, reason: "wrong type at '\(Self.keyPath(context, nil))'")
        } catch {
            throw CheckpointError.invalidConfig(path: path, reason: "\(error)")
        }
    }

    private static func keyPath(_ context: DecodingError.Context, _ last: (any CodingKey)?) -> String {
        (context.codingPath + (last.map { [$0] } ?? [])).map(\.stringValue).joined(separator: ".")
    }
}
