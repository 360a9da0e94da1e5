/// The list of every configuration key. README's configuration table is this list.
public enum ConfigKeys {
    /// All keys, in documentation order.
    public static let all: [ConfigKey] = serverKeys + deviceKeys + modelKeys + pathKeys + audioKeys

    /// Looks a key up by its dotted path.
    public static func key(_ path: String) -> ConfigKey? { all.first { $0.path == path } }

    static let serverKeys: [ConfigKey] = [
        .string("server.host", \.server.host, env: ["API_HOST"], "Address to listen on (IPv4 or IPv6 literal)."),
        .int("server.port", \.server.port, 0...65535, env: ["API_PORT"], "TCP port (0 picks a free one)."),
        .stringList(
            "server.api_keys", \.server.apiKeys, secret: true, env: ["API_KEY"],
            "Accepted Bearer keys; empty disables auth. Comma-separated in the environment."),
        .bool(
            "server.auth_exempt_listings", \.server.authExemptListings, env: ["AUTH_EXEMPT_LISTINGS"],
            "Serve GET /v1/models*, /v1/audio/voices and /v1/audio/models without a key (Open WebUI sends none)."),
        .stringList(
            "server.cors_allow_origins", \.server.corsAllowOrigins, env: ["CORS_ALLOW_ORIGINS"],
            "Allowed CORS origins; `*` allows any; empty disables CORS headers."),
        .string(
            "server.log_level", \.server.logLevel, oneOf: ["trace", "debug", "info", "notice", "warning", "error", "critical"],
            env: ["LOG_LEVEL"], "Log level."),
        .bool(
            "server.strict_models", \.server.strictModels, env: ["STRICT_MODELS"],
            "Unknown model names answer 404 instead of falling back to the endpoint's default model."),
        .string(
            "server.tts_1_hd_model", \.server.tts1HDModel, oneOf: ["auto", "vibevoice-1.5b", "vibevoice-realtime"],
            env: ["TTS_1_HD_MODEL"], "What `tts-1-hd` means: auto = the 1.5B when enabled, else realtime."),
        .string(
            "server.translation_mode", \.server.translationMode, oneOf: ["transcribe", "reject"],
            env: ["TRANSLATION_MODE"],
            "VibeVoice cannot translate: `transcribe` answers /translations with a transcription (and a warning header), `reject` with 400."),
        .int(
            "server.request_timeout_s", \.server.requestTimeoutSeconds, 1...86_400, env: ["REQUEST_TIMEOUT_S"],
            "Longest time a request may take before its response starts."),
        .int(
            "server.max_json_body_kb", \.server.maxJSONBodyKB, 1...65_536, env: ["MAX_JSON_BODY_KB"],
            "Largest JSON request body (413 above)."),
        .int(
            "server.body_idle_timeout_s", \.server.bodyIdleTimeoutSeconds, 1...3600, env: ["BODY_IDLE_TIMEOUT_S"],
            "A client that pauses this long while sending its request body is disconnected."),
        .bool(
            "server.download_models", \.server.downloadModels, env: ["DOWNLOAD_MODELS"],
            "Download an enabled model that is neither configured nor cached, on start (HF_ENDPOINT, HF_TOKEN, HF_HUB_OFFLINE honoured)."),
    ]

    static let deviceKeys: [ConfigKey] = [
        .string("device.backend", \.device.backend, oneOf: ["auto", "cpu", "cuda"], env: ["DEVICE"],
            "Compute backend: auto (a usable GPU, else the CPU with the reason logged and in /health), cpu, or cuda (the start fails without a usable GPU)."),
        .int("device.gpu_id", \.device.gpuID, 0...63, env: ["GPU_ID"], "CUDA device index."),
        .int("device.threads", \.device.threads, 0...1024, env: ["THREADS"], "CPU threads; 0 = all cores."),
    ]

    static let modelKeys: [ConfigKey] = {
        let realtime: [ConfigKey] = speechKeys("realtime", \.models.realtime, prefix: "TTS", enabledEnv: "TTS_REALTIME_ENABLED")
        let tts15B: [ConfigKey] = speechKeys("tts_1_5b", \.models.tts15B, prefix: "TTS_1_5B", enabledEnv: "TTS_1_5B_ENABLED")
        let asr: [ConfigKey] = commonKeys("asr", \.models.asr.common, prefix: "ASR", enabledEnv: "ASR_ENABLED")
        return realtime + tts15B + asr + asrExtras
    }()

    static let asrExtras: [ConfigKey] = [
            .int("models.asr.max_new_tokens", \.models.asr.maxNewTokens, 1...65_536, env: ["ASR_MAX_NEW_TOKENS"], "Token budget of one transcription."),
            .double("models.asr.temperature", \.models.asr.temperature, 0...2, env: ["ASR_TEMPERATURE"], "Default sampling temperature (0 = greedy)."),
            .double("models.asr.top_p", \.models.asr.topP, 0...1, env: ["ASR_TOP_P"], "Nucleus sampling mass when temperature > 0."),
    ]

    static func commonKeys(
        _ name: String, _ kp: WritableKeyPath<ServerConfiguration, ServerConfiguration.ModelCommon>,
        prefix: String, enabledEnv: String
    ) -> [ConfigKey] {
        [
            .bool("models.\(name).enabled", kp.appending(path: \.enabled), env: [enabledEnv], "Load and serve this model."),
            .optionalString(
                "models.\(name).path", kp.appending(path: \.path), env: ["\(prefix)_MODEL_PATH"],
                "Checkpoint folder in the Hugging Face layout (else `paths.models`, the cache, or a download)."),
            .optionalString(
                "models.\(name).tokenizer", kp.appending(path: \.tokenizer), env: ["\(prefix)_TOKENIZER_PATH"],
                "Folder with tokenizer.json (else the checkpoint folder, the cache, or a download)."),
            .string(
                "models.\(name).dtype", kp.appending(path: \.dtype), oneOf: ["bfloat16", "float16", "float32"],
                env: ["\(prefix == "TTS_1_5B" ? "TTS" : prefix)_DTYPE"], "Weight precision on the GPU (the CPU computes in float32)."),
            .int("models.\(name).max_queue", kp.appending(path: \.maxQueue), 0...10_000, env: ["MAX_QUEUE"], "Requests that may wait; more get 503."),
            .int(
                "models.\(name).queue_timeout_s", kp.appending(path: \.queueTimeoutSeconds), 1...86_400, env: ["QUEUE_TIMEOUT_S"],
                "Longest wait in the queue before 503."),
        ]
    }

    static func speechKeys(
        _ name: String, _ kp: WritableKeyPath<ServerConfiguration, ServerConfiguration.SpeechModel>,
        prefix: String, enabledEnv: String
    ) -> [ConfigKey] {
        commonKeys(name, kp.appending(path: \.common), prefix: prefix, enabledEnv: enabledEnv) + [
            .double("models.\(name).cfg_scale", kp.appending(path: \.cfgScale), 0...20, env: ["\(prefix)_CFG_SCALE"], "Default classifier-free guidance scale."),
            .int(
                "models.\(name).inference_steps", kp.appending(path: \.inferenceSteps), 1...100, env: ["\(prefix)_INFERENCE_STEPS"],
                "Default diffusion steps per speech frame."),
            .optionalString(
                "models.\(name).default_voice", kp.appending(path: \.defaultVoice), env: ["DEFAULT_VOICE"],
                "Voice used when the request's voice matches nothing (or is absent)."),
            .bool(
                "models.\(name).strict_voices", kp.appending(path: \.strictVoices), env: ["STRICT_VOICES"],
                "An unknown voice answers 400 voice_not_found instead of the default voice."),
        ]
    }

    static let pathKeys: [ConfigKey] = [
        .optionalString(
            "paths.models", \.paths.models, env: ["MODEL_DIR"],
            "Folder holding model folders by their Hugging Face names (VibeVoice-Realtime-0.5B/, VibeVoice-1.5B/, VibeVoice-ASR/) and voices/, as the predecessor mounted /models."),
        .optionalString("paths.voices", \.paths.voices, env: ["VOICES_PATH"], "Voices folder (streaming_model/*.pt, full_model/*.wav)."),
        .optionalString(
            "paths.cache", \.paths.cache, env: ["VIBEVOICE_CACHE"],
            "Model cache (default ~/.cache/vibevoice on Linux, %LOCALAPPDATA%\\vibevoice on Windows)."),
        .optionalString("paths.ffmpeg", \.paths.ffmpeg, env: ["FFMPEG_PATH"], "ffmpeg executable for formats libsndfile lacks (default: PATH)."),
    ]

    static let audioKeys: [ConfigKey] = [
        .string(
            "audio.default_response_format", \.audio.defaultResponseFormat, oneOf: ["mp3", "opus", "aac", "flac", "wav", "pcm"],
            env: ["DEFAULT_RESPONSE_FORMAT"], "Speech format when the request names none (OpenAI: mp3)."),
        .int("audio.max_input_chars", \.audio.maxInputChars, 1...1_000_000, env: ["MAX_INPUT_CHARS"], "Longest speech `input` (400 above)."),
        .int("audio.max_upload_mb", \.audio.maxUploadMB, 1...4096, env: ["MAX_UPLOAD_MB"], "Largest transcription upload (413 above)."),
        .int("audio.max_audio_seconds", \.audio.maxAudioSeconds, 1...86_400, env: ["MAX_AUDIO_SECONDS"], "Longest transcription audio (400 above)."),
        .string(
            "audio.subtitle_speaker_label", \.audio.subtitleSpeakerLabel, env: ["SUBTITLE_SPEAKER_LABEL"],
            "SRT/VTT speaker label; `{id}` is the 0-based speaker number."),
    ]
}
