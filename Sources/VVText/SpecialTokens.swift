/// The Qwen2.5 special tokens the VibeVoice models use, by name.
///
/// Ids are looked up in the loaded tokenizer (`Qwen2Tokenizer.id(of:)`), never hard-coded: the real Qwen2.5 files
/// give 151643…151656, other Qwen-style files (such as test tokenizers) give others.
public enum Qwen2SpecialToken: String, CaseIterable, Sendable {
    /// `<|endoftext|>`: end of sequence (the 1.5B/7B TTS and ASR stop token) and padding in HF.
    case endOfText = "<|endoftext|>"
    /// `<|im_start|>`: chat turn start.
    case imStart = "<|im_start|>"
    /// `<|im_end|>`: chat turn end.
    case imEnd = "<|im_end|>"
    /// `<|object_ref_start|>`: ASR speech start.
    case objectRefStart = "<|object_ref_start|>"
    /// `<|object_ref_end|>`: ASR speech end.
    case objectRefEnd = "<|object_ref_end|>"
    /// `<|box_start|>`: ASR speech placeholder (one per acoustic frame).
    case boxStart = "<|box_start|>"
    /// `<|box_end|>`: unused by the models.
    case boxEnd = "<|box_end|>"
    /// `<|quad_start|>`: unused by the models.
    case quadStart = "<|quad_start|>"
    /// `<|quad_end|>`: unused by the models.
    case quadEnd = "<|quad_end|>"
    /// `<|vision_start|>`: TTS speech start (1.5B/7B).
    case visionStart = "<|vision_start|>"
    /// `<|vision_end|>`: TTS speech end.
    case visionEnd = "<|vision_end|>"
    /// `<|vision_pad|>`: TTS speech diffusion placeholder (one per latent frame).
    case visionPad = "<|vision_pad|>"
    /// `<|image_pad|>`: left padding for TTS and ASR; the 0.5B negative-prompt token.
    case imagePad = "<|image_pad|>"
    /// `<|video_pad|>`: unused by the models.
    case videoPad = "<|video_pad|>"
}

extension Qwen2Tokenizer {
    /// The id of a named special token; throws `TokenizerError.missingSpecialToken` when this file lacks it.
    public func id(of token: Qwen2SpecialToken) throws -> Int {
        guard let id = id(forToken: token.rawValue) else { throw TokenizerError.missingSpecialToken(token.rawValue) }
        return id
    }
}

/// Token ids the TTS models (0.5B realtime, 1.5B, 7B) use, resolved from a tokenizer (spec-tts.md §6).
public struct TTSSpecialTokens: Sendable, Equatable {
    /// Speech start, `<|vision_start|>`.
    public let speechStart: Int
    /// Speech end, `<|vision_end|>`.
    public let speechEnd: Int
    /// Speech diffusion placeholder, `<|vision_pad|>`.
    public let speechDiffusion: Int
    /// Padding and the 0.5B negative-prompt token, `<|image_pad|>`.
    public let pad: Int
    /// End of text, `<|endoftext|>` (the 1.5B/7B stop token).
    public let endOfText: Int

    /// Looks the ids up in `tokenizer`; throws when one is missing.
    public init(tokenizer: Qwen2Tokenizer) throws {
        speechStart = try tokenizer.id(of: .visionStart)
        speechEnd = try tokenizer.id(of: .visionEnd)
        speechDiffusion = try tokenizer.id(of: .visionPad)
        pad = try tokenizer.id(of: .imagePad)
        endOfText = try tokenizer.id(of: .endOfText)
    }
}

/// Token ids the ASR model uses, resolved from a tokenizer (spec-asr.md §3.1).
public struct ASRSpecialTokens: Sendable, Equatable {
    /// Speech start, `<|object_ref_start|>`.
    public let speechStart: Int
    /// Speech end, `<|object_ref_end|>`.
    public let speechEnd: Int
    /// Speech placeholder, `<|box_start|>` (repeated once per acoustic frame).
    public let speechPad: Int
    /// Batch padding (left), `<|image_pad|>`.
    public let pad: Int
    /// End of text / stop, `<|endoftext|>`.
    public let endOfText: Int
    /// Chat turn start, `<|im_start|>`.
    public let imStart: Int
    /// Chat turn end, `<|im_end|>`.
    public let imEnd: Int

    /// Looks the ids up in `tokenizer`; throws when one is missing.
    public init(tokenizer: Qwen2Tokenizer) throws {
        speechStart = try tokenizer.id(of: .objectRefStart)
        speechEnd = try tokenizer.id(of: .objectRefEnd)
        speechPad = try tokenizer.id(of: .boxStart)
        pad = try tokenizer.id(of: .imagePad)
        endOfText = try tokenizer.id(of: .endOfText)
        imStart = try tokenizer.id(of: .imStart)
        imEnd = try tokenizer.id(of: .imEnd)
    }
}
