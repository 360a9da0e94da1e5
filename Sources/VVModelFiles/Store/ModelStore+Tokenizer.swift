import Foundation

extension ModelStore {
    /// The tokenizer repository a checkpoint folder asks for, as the upstream processors decide it: the
    /// `language_model_pretrained_name` of its `preprocessor_config.json` when that names a hub repository
    /// (`owner/name`), else `fallback` (the built-in choice).
    public static func tokenizerRepo(forCheckpoint folder: URL, fallback: HubRepo) -> HubRepo {
        let file = folder.appendingPathComponent("preprocessor_config.json")
        guard let data = try? Data(contentsOf: file),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let name = object["language_model_pretrained_name"] as? String, isRepoID(name)
        else { return fallback }
        return HubRepo(name)
    }

    /// Whether `text` has the form `owner/name` with the characters the hub allows.
    static func isRepoID(_ text: String) -> Bool {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return false }
        return parts.allSatisfy { part in
            !part.isEmpty && part != "." && part != ".."
                && part.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == ".") }
        }
    }

    /// The tokenizer repository of `spec` given what its cached checkpoint declares.
    func effectiveTokenizer(_ spec: ModelSpec) -> HubRepo {
        ModelStore.tokenizerRepo(forCheckpoint: folder(for: spec.weights), fallback: spec.tokenizer)
    }
}
