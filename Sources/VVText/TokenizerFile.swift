/// The parts of a Hugging Face `tokenizer.json` that a Qwen2 byte-level BPE tokenizer uses, validated.
///
/// Reading checks every component against what `Qwen2Tokenizer` reproduces exactly and throws
/// `TokenizerError.unsupportedFeature` for anything else, so a different tokenizer is refused instead of being
/// silently mis-tokenized.
struct TokenizerFile: Sendable {
    /// One entry of `added_tokens`.
    struct AddedToken: Sendable {
        /// `id` as written (tokenizers reassigns ids, see `AddedVocabulary`).
        let id: Int
        /// `content`.
        let content: TokenKey
        let singleWord: Bool
        let lstrip: Bool
        let rstrip: Bool
        let normalized: Bool
        let special: Bool
    }

    /// The Qwen2 split pattern this implementation hard-codes (tokenizer.json spelling).
    static let qwen2Pattern =
        #"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"#

    /// `added_tokens`, in file order.
    let addedTokens: [AddedToken]
    /// Whether the normalizer is NFC (false: no normalizer).
    let nfc: Bool
    /// `model.vocab` entries (byte-level token string, id), in file order.
    let vocab: [(token: TokenKey, id: Int)]
    /// `model.merges` as pairs, in rank order.
    let merges: [(TokenKey, TokenKey)]
    /// `model.unk_token`.
    let unkToken: TokenKey?
    /// `model.fuse_unk`.
    let fuseUnk: Bool
    /// `model.ignore_merges`.
    let ignoreMerges: Bool

    /// Parses and validates `tokenizer.json` bytes (which must be UTF-8).
    init(data: UnsafeBufferPointer<UInt8>) throws {
        guard String(validating: data, as: UTF8.self) != nil else {
            throw TokenizerError.malformedJSON(reason: "file is not valid UTF-8")
        }
        let root = try JSONReader.parse(data)
        guard case .object = root else { throw TokenizerError.malformedJSON(reason: "top level is not an object") }
        if !JSONValue.isNull(root["truncation"]) {
            throw TokenizerError.unsupportedFeature(component: "truncation", detail: "must be null")
        }
        if !JSONValue.isNull(root["padding"]) {
            throw TokenizerError.unsupportedFeature(component: "padding", detail: "must be null")
        }
        addedTokens = try Self.readAddedTokens(root["added_tokens"])
        nfc = try Self.checkNormalizer(root["normalizer"])
        try Self.checkPreTokenizer(root["pre_tokenizer"])
        if let post = root["post_processor"], !JSONValue.isNull(post), post["type"]?.string != "ByteLevel" {
            throw TokenizerError.unsupportedFeature(
                component: "post_processor", detail: "type \(post["type"]?.string ?? "?") (only null or ByteLevel)")
        }
        guard root["decoder"]?["type"]?.string == "ByteLevel" else {
            throw TokenizerError.unsupportedFeature(component: "decoder", detail: "only ByteLevel is supported")
        }
        guard let model = root["model"], case .object = model else {
            throw TokenizerError.malformedJSON(reason: "no model object")
        }
        if let type = model["type"]?.string, type != "BPE" {
            throw TokenizerError.unsupportedFeature(component: "model", detail: "type \(type) (only BPE)")
        }
        if let dropout = model["dropout"]?.number, dropout != 0 {
            throw TokenizerError.unsupportedFeature(component: "model", detail: "dropout \(dropout) (random)")
        }
        if let prefix = model["continuing_subword_prefix"]?.string, !prefix.isEmpty {
            throw TokenizerError.unsupportedFeature(component: "model", detail: "continuing_subword_prefix")
        }
        if let suffix = model["end_of_word_suffix"]?.string, !suffix.isEmpty {
            throw TokenizerError.unsupportedFeature(component: "model", detail: "end_of_word_suffix")
        }
        if model["byte_fallback"]?.bool == true {
            throw TokenizerError.unsupportedFeature(component: "model", detail: "byte_fallback")
        }
        guard case .object(let vocabMembers)? = model["vocab"] else {
            throw TokenizerError.malformedJSON(reason: "model.vocab is not an object")
        }
        var vocab: [(token: TokenKey, id: Int)] = []
        vocab.reserveCapacity(vocabMembers.count)
        for member in vocabMembers {
            guard let id = member.value.number, id >= 0, id < 0x7FFF_FFFF, id == id.rounded() else {
                throw TokenizerError.malformedJSON(
                    reason: "vocab id of \(TokenKey(member.key).string) is not a valid id")
            }
            vocab.append((TokenKey(member.key), Int(id)))
        }
        self.vocab = vocab
        guard let mergeValues = model["merges"]?.array else {
            throw TokenizerError.malformedJSON(reason: "model.merges is not an array")
        }
        merges = try mergeValues.map(Self.readMerge)
        if case .string(let unk)? = model["unk_token"] {
            unkToken = TokenKey(unk)
        } else {
            unkToken = nil
        }
        fuseUnk = model["fuse_unk"]?.bool ?? false
        ignoreMerges = model["ignore_merges"]?.bool ?? false
    }

    /// One merge, written either `"a b"` (older files) or `["a", "b"]` (tokenizers ≥ 0.20).
    private static func readMerge(_ v: JSONValue) throws -> (TokenKey, TokenKey) {
        switch v {
        case .string(let text):
            let parts = text.split(separator: 0x20, omittingEmptySubsequences: false)
            guard parts.count == 2 else {
                throw TokenizerError.malformedJSON(
                    reason: "merge \"\(TokenKey(text).string)\" is not two tokens separated by a space")
            }
            return (TokenKey(Array(parts[0])), TokenKey(Array(parts[1])))
        case .array(let items):
            guard items.count == 2, case .string(let a) = items[0], case .string(let b) = items[1] else {
                throw TokenizerError.malformedJSON(reason: "a merge is not a pair of strings")
            }
            return (TokenKey(a), TokenKey(b))
        default:
            throw TokenizerError.malformedJSON(reason: "a merge is neither a string nor a pair")
        }
    }

    private static func readAddedTokens(_ v: JSONValue?) throws -> [AddedToken] {
        guard let v, !JSONValue.isNull(v) else { return [] }
        guard let items = v.array else { throw TokenizerError.malformedJSON(reason: "added_tokens is not an array") }
        return try items.map { item in
            guard let id = item["id"]?.number, case .string(let content)? = item["content"] else {
                throw TokenizerError.malformedJSON(reason: "an added token lacks id or content")
            }
            let token = AddedToken(
                id: Int(id), content: TokenKey(content), singleWord: item["single_word"]?.bool ?? false,
                lstrip: item["lstrip"]?.bool ?? false, rstrip: item["rstrip"]?.bool ?? false,
                normalized: item["normalized"]?.bool ?? true, special: item["special"]?.bool ?? false)
            if token.singleWord || token.lstrip || token.rstrip {
                throw TokenizerError.unsupportedFeature(
                    component: "added_tokens",
                    detail: "\(token.content.string): single_word/lstrip/rstrip are not supported")
            }
            return token
        }
    }

    private static func checkNormalizer(_ n: JSONValue?) throws -> Bool {
        guard let n, !JSONValue.isNull(n) else { return false }
        switch n["type"]?.string {
        case "NFC":
            return true
        case "Sequence":
            let inner = n["normalizers"]?.array ?? []
            if inner.isEmpty { return false }
            if inner.count == 1, inner[0]["type"]?.string == "NFC" { return true }
            throw TokenizerError.unsupportedFeature(
                component: "normalizer",
                detail: "Sequence of \(inner.map { $0["type"]?.string ?? "?" }) (only [NFC])")
        default:
            throw TokenizerError.unsupportedFeature(
                component: "normalizer", detail: "type \(n["type"]?.string ?? "?") (only NFC)")
        }
    }

    private static func checkPreTokenizer(_ p: JSONValue?) throws {
        let expected = "Sequence[Split(Qwen2 regex, Isolated), ByteLevel(add_prefix_space=false, use_regex=false)]"
        guard let p, p["type"]?.string == "Sequence", let steps = p["pretokenizers"]?.array, steps.count == 2 else {
            throw TokenizerError.unsupportedFeature(component: "pre_tokenizer", detail: "expected \(expected)")
        }
        let split = steps[0], byteLevel = steps[1]
        guard split["type"]?.string == "Split", split["invert"]?.bool != true,
            split["behavior"]?.string == "Isolated"
        else {
            throw TokenizerError.unsupportedFeature(component: "pre_tokenizer", detail: "expected \(expected)")
        }
        guard let pattern = split["pattern"]?["Regex"]?.string, pattern == qwen2Pattern else {
            throw TokenizerError.unsupportedFeature(
                component: "pre_tokenizer",
                detail: "Split pattern is not the Qwen2 regex: \(split["pattern"]?["Regex"]?.string ?? "(not a Regex)")"
            )
        }
        guard byteLevel["type"]?.string == "ByteLevel", byteLevel["add_prefix_space"]?.bool != true,
            byteLevel["use_regex"]?.bool == false
        else {
            throw TokenizerError.unsupportedFeature(component: "pre_tokenizer", detail: "expected \(expected)")
        }
    }
}
