/// Everything `vibevoice serve` can be configured with. Every field has a key in `ConfigKeys.all`, which is the
/// single list of keys, their environment variables, documentation and checks.
public struct ServerConfiguration: Sendable, Equatable {
    /// `server.*`: listening, auth, CORS, limits, logging.
    public struct Server: Sendable, Equatable {
        public var host = "0.0.0.0"
        public var port = 8899
        public var apiKeys: [String] = []
        public var authExemptListings = false
        public var corsAllowOrigins = ["*"]
        public var logLevel = "info"
        public var strictModels = false
        public var tts1HDModel = "auto"
        public var translationMode = "transcribe"
        public var requestTimeoutSeconds = 3600
        public var maxJSONBodyKB = 1024
        public var bodyIdleTimeoutSeconds = 30
        public var downloadModels = true
    }

    /// `device.*`: where models run.
    public struct Device: Sendable, Equatable {
        public var backend = "auto"
        public var gpuID = 0
        public var threads = 0
    }

    /// Settings every model has.
    public struct ModelCommon: Sendable, Equatable {
        public var enabled: Bool
        public var path: String?
        public var tokenizer: String?
        public var dtype = "bfloat16"
        public var maxQueue = 8
        public var queueTimeoutSeconds = 60
    }

    /// `models.realtime.*` and `models.tts_1_5b.*`.
    public struct SpeechModel: Sendable, Equatable {
        public var common: ModelCommon
        public var cfgScale: Double
        public var inferenceSteps: Int
        public var defaultVoice: String?
        public var strictVoices = false
    }

    /// `models.asr.*`.
    public struct ASRModel: Sendable, Equatable {
        public var common = ModelCommon(enabled: false)
        public var maxNewTokens = 32768
        public var temperature = 0.0
        public var topP = 1.0
    }

    /// `models.*`.
    public struct Models: Sendable, Equatable {
        public var realtime = SpeechModel(
            common: ModelCommon(enabled: true), cfgScale: 1.5, inferenceSteps: 5, defaultVoice: "carter")
        public var tts15B = SpeechModel(
            common: ModelCommon(enabled: false), cfgScale: 1.3, inferenceSteps: 10, defaultVoice: nil)
        public var asr = ASRModel()
    }

    /// `paths.*`.
    public struct Paths: Sendable, Equatable {
        public var models: String?
        public var voices: String?
        public var cache: String?
        public var ffmpeg: String?
    }

    /// `audio.*`: formats and input limits.
    public struct Audio: Sendable, Equatable {
        public var defaultResponseFormat = "mp3"
        public var maxInputChars = 4096
        public var maxUploadMB = 100
        public var maxAudioSeconds = 3600
        public var subtitleSpeakerLabel = "Speaker {id}"
    }

    public var server = Server()
    public var device = Device()
    public var models = Models()
    public var paths = Paths()
    public var audio = Audio()

    /// The built-in defaults.
    public init() {}
}
