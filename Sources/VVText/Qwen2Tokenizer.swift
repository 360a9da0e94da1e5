import Foundation

/// The Qwen2 / Qwen2.5 byte-level BPE tokenizer, read from a Hugging Face `tokenizer.json`.
///
/// Encoding gives exactly the ids of Hugging Face `tokenizers` 0.21.4 `Tokenizer.encode(text,
/// add_special_tokens=False)` (the Qwen2 files have no post-processor template, so `True` gives the same ids):
/// added tokens are matched literally first, the text between them is NFC-normalised, split by the Qwen2 regex
/// and BPE-encoded on its UTF-8 bytes. Decoding maps ids back to bytes and then to UTF-8 text, invalid sequences
/// becoming U+FFFD exactly as Rust's `String::from_utf8_lossy` does.
///
/// Instances are immutable apart from an internal, lock-protected BPE cache: share one across threads.
public final class Qwen2Tokenizer: Sendable {
    /// Byte-pair model for ordinary text.
    let model: BPEModel
    /// Added tokens matched on raw text (`normalized: false`).
    let rawMatcher: AddedTokenMatcher
    /// Added tokens matched after normalisation (`normalized: true`), their contents NFC-normalised.
    let normalizedMatcher: AddedTokenMatcher
    /// Whether the normalizer is NFC.
    let usesNFC: Bool
    /// Bytes each id decodes to; nil for ids that are not tokens.
    private let idBytes: [[UInt8]?]
    /// Whether each id is a special added token (skipped by `skipSpecialTokens`).
    private let idIsSpecial: [Bool]
    /// Token string → id, added tokens taking precedence over the vocabulary.
    private let tokenToID: [TokenKey: Int]
    /// Id → token string, added tokens taking precedence over the vocabulary.
    private let idToToken: [TokenKey?]

    /// Loads a `tokenizer.json` file.
    public convenience init(contentsOf url: URL) throws {
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw TokenizerError.unreadableFile(path: url.path, reason: error.localizedDescription)
        }
        try self.init(data: data)
    }

    /// Loads `tokenizer.json` content.
    public init(data: Data) throws {
        let file = try data.withUnsafeBytes { raw in
            try TokenizerFile(data: raw.bindMemory(to: UInt8.self))
        }
        var vocab: [TokenKey: Int] = [:]
        vocab.reserveCapacity(file.vocab.count)
        for entry in file.vocab { vocab[entry.token] = entry.id }
        model = try BPEModel(
            vocab: vocab, merges: file.merges, unkToken: file.unkToken, fuseUnk: file.fuseUnk,
            ignoreMerges: file.ignoreMerges)
        usesNFC = file.nfc
        let added = AddedVocabulary(file.addedTokens, vocab: vocab)
        rawMatcher = AddedTokenMatcher(added.rawPatterns)
        normalizedMatcher = AddedTokenMatcher(
            added.normalizedPatterns.map { (file.nfc ? TokenKey(NFCNormalizer.normalize($0.0.string)) : $0.0, $0.1) })

        // Lookups as tokenizers does them: the added vocabulary first, then the model's.
        var toID = vocab
        for (content, id) in added.idByContent { toID[content] = id }
        tokenToID = toID
        let count = max(vocab.values.max() ?? -1, added.contentByID.keys.max() ?? -1) + 1
        var toToken = [TokenKey?](repeating: nil, count: count)
        for (token, id) in vocab { toToken[id] = token }
        for (id, content) in added.contentByID where id >= 0 { toToken[id] = content }
        idToToken = toToken
        var bytes = [[UInt8]?](repeating: nil, count: count)
        var special = [Bool](repeating: false, count: count)
        for (id, token) in toToken.enumerated() {
            guard let token else { continue }
            // tokenizers' ByteLevel decoder: map every character back to its byte, or, when some character is
            // outside the byte alphabet, use the token's own UTF-8.
            bytes[id] = ByteLevel.bytes(utf8: token.bytes) ?? token.bytes
            // Skipping is decided on the token string, as in tokenizers.
            special[id] = added.specialContents.contains(token)
        }
        idBytes = bytes
        idIsSpecial = special
    }

    /// One more than the largest token id (vocabulary plus added tokens).
    public var vocabularySize: Int { idBytes.count }

    /// The id of a token given by its exact string (an added token, or a byte-level vocabulary entry).
    public func id(forToken token: String) -> Int? { tokenToID[TokenKey(token)] }

    /// The string of token `id` (added-token content, or the byte-level vocabulary entry).
    public func token(forID id: Int) -> String? {
        guard id >= 0 && id < idToToken.count else { return nil }
        return idToToken[id]?.string
    }

    /// Whether `id` is a special added token.
    public func isSpecial(_ id: Int) -> Bool { id >= 0 && id < idIsSpecial.count && idIsSpecial[id] }

    /// The raw bytes token `id` stands for, or nil when `id` is not a token.
    public func bytes(forID id: Int) -> [UInt8]? {
        guard id >= 0 && id < idBytes.count else { return nil }
        return idBytes[id]
    }

    /// Encodes `text` into token ids.
    public func encode(_ text: String) -> [Int] {
        encodeInt32(text).map { Int($0) }
    }

    /// Decodes ids into text.
    ///
    /// Ids that are not tokens are ignored (as `tokenizers` does); special tokens are dropped when
    /// `skipSpecialTokens` is set.
    public func decode(_ ids: [Int], skipSpecialTokens: Bool = false) -> String {
        String(decoding: decodeBytes(ids, skipSpecialTokens: skipSpecialTokens), as: UTF8.self)
    }

    /// Decodes ids into the raw bytes of the text (possibly not valid UTF-8).
    public func decodeBytes(_ ids: [Int], skipSpecialTokens: Bool = false) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(ids.count * 4)
        for id in ids { appendBytes(of: id, skipSpecialTokens: skipSpecialTokens, to: &out) }
        return out
    }

    /// Appends the bytes of one id to `out` (nothing for unknown ids and, if asked, special tokens).
    @inline(__always)
    func appendBytes(of id: Int, skipSpecialTokens: Bool, to out: inout [UInt8]) {
        guard id >= 0 && id < idBytes.count, let bytes = idBytes[id] else { return }
        if skipSpecialTokens && idIsSpecial[id] { return }
        out.append(contentsOf: bytes)
    }

    /// Makes a decoder that turns ids fed one at a time into text, emitting only complete UTF-8 characters.
    public func makeStreamingDecoder(skipSpecialTokens: Bool = false) -> StreamingDecoder {
        StreamingDecoder(tokenizer: self, skipSpecialTokens: skipSpecialTokens)
    }
}
