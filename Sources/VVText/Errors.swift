/// Errors raised by the `VVText` target while loading a tokenizer or using it.
public enum TokenizerError: Error, Equatable, CustomStringConvertible {
    /// The file could not be read.
    case unreadableFile(path: String, reason: String)
    /// The file is not valid JSON of the `tokenizer.json` shape.
    case malformedJSON(reason: String)
    /// The file uses a `tokenizer.json` feature this implementation does not reproduce exactly.
    case unsupportedFeature(component: String, detail: String)
    /// A merge names a token that is not in the vocabulary.
    case mergeTokenNotInVocabulary(merge: String, token: String)
    /// A special token that the models need is not in this tokenizer.
    case missingSpecialToken(String)
    /// An id passed to a lookup is not a token of this tokenizer.
    case unknownTokenID(Int)

    /// One line describing the error, for logs and command-line output.
    public var description: String {
        switch self {
        case .unreadableFile(let path, let reason):
            return "cannot read tokenizer file \(path): \(reason)"
        case .malformedJSON(let reason):
            return "malformed tokenizer.json: \(reason)"
        case .unsupportedFeature(let component, let detail):
            return "unsupported tokenizer.json feature in \(component): \(detail)"
        case .mergeTokenNotInVocabulary(let merge, let token):
            return "tokenizer.json merge \"\(merge)\" uses token \"\(token)\" that is not in the vocabulary"
        case .missingSpecialToken(let name):
            return "tokenizer has no special token \(name)"
        case .unknownTokenID(let id):
            return "token id \(id) is not in the tokenizer"
        }
    }
}
