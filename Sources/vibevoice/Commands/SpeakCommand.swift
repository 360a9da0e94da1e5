import ArgumentParser
import Foundation
import VVAudio
import VVCompute
import VVComputeCPU
import VVComputeCUDA
import VVModelFiles
import VVModels
import VVPlatform
import VVPipelines
import VVText

/// `vibevoice speak`: realtime 0.5B text to a WAV file, through the same model and session as the server.
struct Speak: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "speak",
        abstract: "Speak text with VibeVoice-Realtime-0.5B into a WAV file.",
        discussion: """
            Runs the reference generation loop (5 text tokens, then 6 speech frames) and writes 24 kHz mono 16-bit \
            WAV. --noise FILE takes a safetensors file whose tensor `noise` [frames, 64] gives each frame's initial \
            diffusion latent (row 0 of the reference's randn(2, 64)), so a run of the upstream implementation can be \
            reproduced exactly.
            """)

    /// The text.
    @Argument(help: "Text to speak.")
    var text: String

    /// Voice id or part of one.
    @Option(name: .long, help: "Voice id (en-Carter_man), short name (carter) or OpenAI alias, as the server resolves it.")
    var voice: String?

    /// Model folder.
    @Option(
        name: .long,
        help: "Model folder in the Hugging Face layout (config.json, model.safetensors; default: the model cache).")
    var modelDir: String?

    /// Tokenizer file.
    @Option(name: .long, help: "tokenizer.json (default: the one in --model-dir, else the model cache's).")
    var tokenizer: String?

    /// Voices folder.
    @Option(
        name: .long,
        help: "Voices folder (*.pt, or a folder holding streaming_model/; default: $VOICES_PATH, else the cache's).")
    var voicesDir: String?

    /// Guidance scale.
    @Option(name: .long, help: "Classifier-free guidance scale (default 1.5).")
    var cfgScale: Float = 1.5

    /// Diffusion steps.
    @Option(name: .long, help: "Diffusion steps per frame (default 5).")
    var steps = 5

    /// Seed.
    @Option(name: .long, help: "Seed of the diffusion noise (default 0).")
    var seed: UInt64 = 0

    /// Frame limit.
    @Option(name: .long, help: "Stop after this many frames (133 ms each).")
    var maxFrames: Int?

    /// Injected noise.
    @Option(name: .long, help: "Safetensors file with tensor `noise` [frames, 64].")
    var noise: String?

    /// Output file.
    @Option(name: [.customShort("o"), .long], help: "Output WAV file.")
    var output: String

    /// Compute backend.
    @Option(help: "Compute backend: cpu, or cuda (experimental: see docs/cuda.md).")
    var backend: BenchBackend = .cpu

    /// GPU.
    @Option(help: "CUDA device index (with --backend cuda).")
    var gpuID = 0

    /// Float dump for comparisons.
    @Option(
        name: .long,
        help: "Also write a safetensors file with `latents` [frames, 64] and the float `audio` [samples] (f32).")
    var dump: String?

    func validate() throws {
        guard (1...50).contains(steps) else { throw ValidationError("--steps must be between 1 and 50") }
        guard cfgScale.isFinite, cfgScale > 0 else { throw ValidationError("--cfg-scale must be a positive number") }
        if let maxFrames, maxFrames < 1 { throw ValidationError("--max-frames must be at least 1") }
    }

    func run() async throws {
        let ctx: ComputeContext
        switch backend {
        case .cpu:
            ctx = ComputeContext(backend: CPUBackend())
        case .cuda:
            let cuda = try CUDABackend.load(gpuID: gpuID)
            try cuda.prepareKernels()
            progress("compute: \(cuda.device); kernels: \(cuda.compilerDescription)")
            ctx = ComputeContext(backend: cuda)
        }
        let started = Stopwatch()
        let files = try SpeakFiles.resolve(modelDir: modelDir, tokenizer: tokenizer, voicesDir: voicesDir)
        let model = try RealtimeModel.load(directory: files.weights.path, context: ctx)
        let tok = try Qwen2Tokenizer(contentsOf: files.tokenizer)
        let dir = files.voices.path
        let catalog = try VoiceCatalog.scan(URL(fileURLWithPath: dir))
        // The server's resolution order (exact id, short name, OpenAI alias, name tokens), strict.
        let resolved: VoiceInfo
        do {
            resolved = try VoiceResolver(voices: catalog.streamingVoices, defaultVoice: nil, strict: true)
                .resolve(voice).voice
        } catch {
            throw SpeakError(
                "voice \(voice ?? "") not found; have: \(catalog.streaming.map(\.info.id).joined(separator: ", "))")
        }
        guard let entry = catalog.streamingEntry(id: resolved.id) else {
            throw SpeakError("voice \(resolved.id) has no preset file")
        }
        let preset = try VoicePreset(contentsOf: entry.file, shape: VoicePresetShape(config: model.config))
        var noiseRows: [[Float]]?
        if let noise {
            guard let view = try SafetensorsFile(path: noise).tensor(named: "noise"), view.shape.count == 2,
                view.shape[1] == model.config.diffusionHead.latentSize
            else {
                throw SpeakError(
                    "\(noise) has no tensor `noise` of shape [frames, \(model.config.diffusionHead.latentSize)]")
            }
            let values = try view.floats(), width = view.shape[1]
            noiseRows = (0..<view.shape[0]).map { Array(values[($0 * width)..<(($0 + 1) * width)]) }
        }
        let chunks = RealtimeSynthesizer.textChunks(
            text, tokenizer: tok, maxPositions: model.config.decoder.maxPositionEmbeddings,
            promptLength: preset.ttsLM.length)
        guard !chunks.isEmpty else { throw SpeakError("the text is empty") }
        let tokenCount = chunks.reduce(0) { $0 + $1.count }
        progress(
            "loaded in \(format(started.seconds)) s; voice \(entry.info.id), \(tokenCount) tokens"
                + (chunks.count > 1 ? " in \(chunks.count) pieces (split at sentences: longer than one context)" : ""))
        var encoder = WAVFileEncoder(sampleRate: 24_000)
        var latents: [Float] = [], audio: [Float] = []
        let loop = Stopwatch()
        var generator = GaussianNoise(seed: seed)
        var frames = 0
        var stop = "max-frames"
        pieces: for (piece, ids) in chunks.enumerated() {
            var session = try RealtimeSession(
                model: model, preset: preset, textIDs: ids, options: RealtimeOptions(cfgScale: cfgScale, steps: steps),
                noise: noiseRows.map { .rows($0) } ?? .generator(generator), context: ctx)
            while true {
                if let maxFrames, frames >= maxFrames {
                    stop = "max-frames"
                    break pieces
                }
                guard let frame = try session.nextFrame() else { break }
                _ = try encoder.encode(frame.audio)
                if dump != nil {
                    latents += frame.latent
                    audio += frame.audio
                }
                frames += 1
                FileHandle.standardError.write(Data("\rframe \(frames)".utf8))
            }
            stop = session.stopReason.map { "\($0)" } ?? stop
            if session.stopReason == .lengthCap, piece < chunks.count - 1 {
                progress("\nwarning: piece \(piece + 1) of \(chunks.count) reached the context limit before its end of speech")
            }
            generator = session.generator ?? generator
            if let rows = noiseRows {
                noiseRows = Array(rows.dropFirst(session.framesProduced))
                if session.stopReason == .noiseExhausted { break }
            }
        }
        let seconds = Double(frames) * 3200 / 24_000
        progress(
            "\n\(frames) frames (\(format(seconds)) s of audio) in \(format(loop.seconds)) s, stop: \(stop)")
        try Data(try encoder.finish()).write(to: URL(fileURLWithPath: output))
        if let dump {
            var writer = SafetensorsWriter()
            try writer.add("latents", floats: latents, shape: [frames, latents.count / max(frames, 1)])
            try writer.add("audio", floats: audio, shape: [audio.count])
            try writer.write(to: dump)
        }
    }

    private func progress(_ line: String) { FileHandle.standardError.write(Data((line + "\n").utf8)) }
    private func format(_ value: Double) -> String { String(format: "%.2f", value) }
}

/// A `speak` failure with a one-line message.
struct SpeakError: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = message }
}

/// Where `speak` finds its files: the flags, else `$VOICES_PATH` for voices, else the model folder's own
/// `tokenizer.json` / `voices/`, else the model cache (`vibevoice models pull realtime-0.5b`); never downloads.
struct SpeakFiles {
    let weights: URL
    let tokenizer: URL
    let voices: URL

    static func resolve(modelDir: String?, tokenizer: String?, voicesDir: String?) throws -> SpeakFiles {
        let manager = FileManager.default
        let cached = ModelStore.fromEnvironment(ProcessInfo.processInfo.environment).locate(.realtime05B)
        let pull = "run `vibevoice models pull realtime-0.5b`"
        guard let weights = modelDir.map({ URL(fileURLWithPath: $0, isDirectory: true) }) ?? cached?.weights else {
            throw SpeakError("no model: pass --model-dir DIR or \(pull)")
        }
        let missing = ModelFolder.missingWeights(in: weights)
        guard missing.isEmpty else {
            throw SpeakError("\(weights.path) is not a model folder: missing \(missing.joined(separator: ", "))")
        }
        let inModel = weights.appendingPathComponent("tokenizer.json")
        let tokenizerFile =
            tokenizer.map { URL(fileURLWithPath: $0) }
            ?? (manager.fileExists(atPath: inModel.path) ? inModel : nil)
            ?? cached.map { $0.tokenizer.appendingPathComponent("tokenizer.json") }
        guard let tokenizerFile else {
            throw SpeakError("no tokenizer.json in \(weights.path): pass --tokenizer FILE or \(pull)")
        }
        let environment = ProcessInfo.processInfo.environment["VOICES_PATH"].flatMap { $0.isEmpty ? nil : $0 }
        let voicesInModel = weights.appendingPathComponent("voices")
        let voices =
            (voicesDir ?? environment).map { URL(fileURLWithPath: $0, isDirectory: true) }
            ?? (manager.fileExists(atPath: voicesInModel.path) ? voicesInModel : nil)
            ?? cached?.voices
        guard let voices else {
            throw SpeakError("no voices folder: pass --voices-dir DIR, set VOICES_PATH or \(pull)")
        }
        return SpeakFiles(weights: weights, tokenizer: tokenizerFile, voices: voices)
    }
}
