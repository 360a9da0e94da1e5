import Foundation

/// Where a ready model's files are: what `ModelStore.pull` and `ModelStore.resolve` return.
public struct ModelFolder: Sendable, Equatable {
    /// The model name (`realtime-0.5b`).
    public var model: String
    /// The checkpoint folder in the Hugging Face layout: `config.json` and `model.safetensors` or the sharded
    /// `model.safetensors.index.json` with its shards (also `preprocessor_config.json` when the repository has one).
    public var weights: URL
    /// The folder holding `tokenizer.json` (and `tokenizer_config.json`).
    public var tokenizer: URL
    /// The voices root in the predecessor's `VOICES_PATH` layout (`streaming_model/*.pt`, `full_model/*.wav`), if any.
    public var voices: URL?
    /// The voices subfolder this model reads (`streaming_model` or `full_model`), if it has voices.
    public var voiceSubfolder: String?

    /// Creates a folder description.
    public init(model: String, weights: URL, tokenizer: URL, voices: URL?, voiceSubfolder: String?) {
        self.model = model
        self.weights = weights
        self.tokenizer = tokenizer
        self.voices = voices
        self.voiceSubfolder = voiceSubfolder
    }

    /// The folder with this model's voice files: `<voices>/<subfolder>` when it exists, else `voices` itself (a folder
    /// of `.pt`/`.wav` files given directly).
    public var voiceDirectory: URL? {
        guard let voices else { return nil }
        if let voiceSubfolder {
            let nested = voices.appendingPathComponent(voiceSubfolder)
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: nested.path, isDirectory: &isDirectory), isDirectory.boolValue {
                return nested
            }
        }
        return voices
    }

    /// The files a checkpoint folder lacks (empty when usable): `config.json`, and the safetensors named by the index
    /// or a `*.safetensors` file. Reads only names and the index; no hashing.
    public static func missingWeights(in folder: URL) -> [String] {
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        guard manager.fileExists(atPath: folder.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            return ["the folder itself"]
        }
        var missing: [String] = []
        if !manager.fileExists(atPath: folder.appendingPathComponent("config.json").path) { missing.append("config.json") }
        let index = folder.appendingPathComponent("model.safetensors.index.json")
        if manager.fileExists(atPath: index.path) {
            guard let data = try? Data(contentsOf: index), let shards = try? ShardIndex.shardNames(data) else {
                return missing + ["a readable model.safetensors.index.json"]
            }
            missing += shards.filter { !manager.fileExists(atPath: folder.appendingPathComponent($0).path) }
        } else {
            let names = (try? manager.contentsOfDirectory(atPath: folder.path)) ?? []
            if !names.contains(where: { $0.hasSuffix(".safetensors") }) { missing.append("model.safetensors") }
        }
        return missing
    }

    /// Whether `folder` holds a `tokenizer.json`.
    public static func hasTokenizer(_ folder: URL) -> Bool {
        FileManager.default.fileExists(atPath: folder.appendingPathComponent("tokenizer.json").path)
    }

    /// Whether `folder` (or its `subfolder`) holds at least one `.pt` or `.wav` voice file.
    public static func hasVoices(_ folder: URL, subfolder: String?) -> Bool {
        let candidates = [subfolder.map { folder.appendingPathComponent($0) }, folder].compactMap { $0 }
        return candidates.contains { directory in
            let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
            return names.contains { $0.hasSuffix(".pt") || $0.hasSuffix(".wav") }
        }
    }
}

/// Local folders configured for a model (flags, config file or environment), any of which may be absent.
public struct ModelPaths: Sendable, Equatable {
    /// The checkpoint folder (`--model-dir`, `TTS_MODEL_PATH`…).
    public var model: URL?
    /// A folder with `tokenizer.json`; when absent the model folder is tried, then the cache.
    public var tokenizer: URL?
    /// The voices root (`VOICES_PATH`: `streaming_model/`, `full_model/`) or a folder of voice files.
    public var voices: URL?

    /// Creates a set of paths.
    public init(model: URL? = nil, tokenizer: URL? = nil, voices: URL? = nil) {
        self.model = model
        self.tokenizer = tokenizer
        self.voices = voices
    }

    /// Whether nothing is configured.
    public var isEmpty: Bool { model == nil && tokenizer == nil && voices == nil }

    /// The predecessor's environment variables: `TTS_MODEL_PATH` (0.5B), `TTS_1_5B_MODEL_PATH`, `ASR_MODEL_PATH`,
    /// and `VOICES_PATH` for the TTS models.
    public static func fromEnvironment(_ kind: ModelKind, environment: [String: String]) -> ModelPaths {
        let key: String
        switch kind {
        case .realtime05B: key = "TTS_MODEL_PATH"
        case .tts15B: key = "TTS_1_5B_MODEL_PATH"
        case .asr: key = "ASR_MODEL_PATH"
        }
        let url = { (name: String) -> URL? in
            environment[name].flatMap { $0.isEmpty ? nil : URL(fileURLWithPath: $0, isDirectory: true) }
        }
        return ModelPaths(model: url(key), tokenizer: nil, voices: kind == .asr ? nil : url("VOICES_PATH"))
    }
}
