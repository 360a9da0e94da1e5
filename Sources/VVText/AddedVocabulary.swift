/// Added tokens with the ids Hugging Face `tokenizers` gives them when it loads a `tokenizer.json`.
///
/// `tokenizers` (0.21.4, `AddedVocabulary::add_tokens` via the `Tokenizer` deserializer) ignores the `id` fields of
/// `added_tokens`: it adds the tokens one by one in file order, giving each the id of the same string if the
/// added vocabulary or the model vocabulary already has it, else the next free id: one past the largest added id
/// when that is at least the model's vocabulary count, else the vocabulary count. For well-formed files (all Qwen2
/// releases) this gives the ids written in the file; this type reproduces it for the others too.
struct AddedVocabulary: Sendable {
    /// Added-token content → id.
    private(set) var idByContent: [TokenKey: Int] = [:]
    /// Id → added-token content.
    private(set) var contentByID: [Int: TokenKey] = [:]
    /// Contents of special tokens.
    private(set) var specialContents: Set<TokenKey> = []
    /// Tokens matched on raw text, in matching order (specials first, then the others), with their ids.
    private(set) var rawPatterns: [(TokenKey, Int)] = []
    /// Tokens matched on normalised text, in matching order, with their ids (contents not yet normalised).
    private(set) var normalizedPatterns: [(TokenKey, Int)] = []

    /// Replays `tokenizers`' id assignment over `tokens` against a model vocabulary.
    init(_ tokens: [TokenizerFile.AddedToken], vocab: [TokenKey: Int]) {
        var seen: [Int: TokenizerFile.AddedToken] = [:]
        var specials: [TokenizerFile.AddedToken] = []
        var others: [TokenizerFile.AddedToken] = []
        for token in tokens
        where token.special && !token.content.bytes.isEmpty && !specialContents.contains(token.content) {
            specials.append(token)
            specialContents.insert(token.content)
        }
        for token in tokens {
            if token.content.bytes.isEmpty || seen.values.contains(where: { $0.sameToken(as: token) }) { continue }
            let id: Int
            if let existing = idByContent[token.content] ?? vocab[token.content] {
                id = existing
            } else if let maxAdded = idByContent.values.max() {
                id = (maxAdded >= vocab.count || vocab.isEmpty) ? maxAdded + 1 : vocab.count
            } else {
                id = vocab.count
            }
            idByContent[token.content] = id
            seen[id] = token
            if !specialContents.contains(token.content) { others.append(token) }
        }
        for (id, token) in seen { contentByID[id] = token.content }
        for token in specials + others {
            guard let id = idByContent[token.content] else { continue }
            if token.normalized {
                normalizedPatterns.append((token.content, id))
            } else {
                rawPatterns.append((token.content, id))
            }
        }
    }
}

extension TokenizerFile.AddedToken {
    /// Equality of content and flags (`tokenizers`' `AddedToken: PartialEq`), ignoring the id.
    func sameToken(as other: Self) -> Bool {
        content == other.content && singleWord == other.singleWord && lstrip == other.lstrip && rstrip == other.rstrip
            && normalized == other.normalized && special == other.special
    }
}
