import Foundation

extension ModelStore {
    /// The platform's cache folder for vibevoice: `VIBEVOICE_CACHE` if set; on Windows `%LOCALAPPDATA%\vibevoice`;
    /// on macOS `~/Library/Caches/vibevoice`; elsewhere `$XDG_CACHE_HOME/vibevoice` or `~/.cache/vibevoice`.
    public static func defaultCacheDirectory(
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> URL {
        if let explicit = environment["VIBEVOICE_CACHE"], !explicit.isEmpty {
            return URL(fileURLWithPath: explicit, isDirectory: true)
        }
        #if os(Windows)
        if let local = environment["LOCALAPPDATA"], !local.isEmpty {
            return URL(fileURLWithPath: local, isDirectory: true).appendingPathComponent("vibevoice")
        }
        return FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent("AppData/Local/vibevoice")
        #elseif os(macOS)
        return FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent("Library/Caches/vibevoice")
        #else
        if let xdg = environment["XDG_CACHE_HOME"], !xdg.isEmpty {
            return URL(fileURLWithPath: xdg, isDirectory: true).appendingPathComponent("vibevoice")
        }
        let home = environment["HOME"].map { URL(fileURLWithPath: $0, isDirectory: true) }
            ?? FileManager.default.homeDirectoryForCurrentUser
        return home.appendingPathComponent(".cache/vibevoice")
        #endif
    }

    /// A store configured the way the Hugging Face tools read the environment: `HF_ENDPOINT`, `HF_TOKEN` (then
    /// `HUGGING_FACE_HUB_TOKEN`, then the file at `HF_TOKEN_PATH` or `$HF_HOME/token`, default
    /// `~/.cache/huggingface/token`), `HF_HUB_OFFLINE`; plus `VIBEVOICE_CACHE` and `VIBEVOICE_VOICES_ENDPOINT`.
    /// Explicit arguments win over the environment.
    public static func fromEnvironment(
        _ environment: [String: String] = ProcessInfo.processInfo.environment,
        cacheDirectory: URL? = nil, endpoint: URL? = nil, token: String? = nil, offline: Bool? = nil
    ) -> ModelStore {
        let hubEndpoint = endpoint ?? environment["HF_ENDPOINT"].flatMap { value -> URL? in
            let trimmed = value.trimmingCharacters(in: .whitespaces)
            return trimmed.isEmpty ? nil : URL(string: trimmed.hasSuffix("/") ? String(trimmed.dropLast()) : trimmed)
        }
        let voices = environment["VIBEVOICE_VOICES_ENDPOINT"].flatMap { $0.isEmpty ? nil : URL(string: $0) }
        let truthy: Set<String> = ["1", "true", "yes", "on"]
        let isOffline = offline
            ?? [environment["HF_HUB_OFFLINE"], environment["TRANSFORMERS_OFFLINE"]].contains {
                $0.map { truthy.contains($0.lowercased()) } ?? false
            }
        return ModelStore(
            cacheDirectory: cacheDirectory ?? defaultCacheDirectory(environment: environment), endpoint: hubEndpoint,
            token: token ?? hubToken(environment), offline: isOffline, voicesEndpoint: voices)
    }

    /// The hub token the Hugging Face tools would use, or nil.
    public static func hubToken(_ environment: [String: String]) -> String? {
        for key in ["HF_TOKEN", "HUGGING_FACE_HUB_TOKEN"] {
            if let value = environment[key]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty {
                return value
            }
        }
        let path: URL
        if let explicit = environment["HF_TOKEN_PATH"], !explicit.isEmpty {
            path = URL(fileURLWithPath: explicit)
        } else if let home = environment["HF_HOME"], !home.isEmpty {
            path = URL(fileURLWithPath: home).appendingPathComponent("token")
        } else {
            let base = environment["XDG_CACHE_HOME"].map { URL(fileURLWithPath: $0) }
                ?? FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache")
            path = base.appendingPathComponent("huggingface/token")
        }
        guard let text = try? String(contentsOf: path, encoding: .utf8) else { return nil }
        let token = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return token.isEmpty ? nil : token
    }
}
