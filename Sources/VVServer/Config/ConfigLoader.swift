import Foundation

/// Builds a `ServerConfiguration` from defaults, a JSON file, the environment and `--set` overrides, in that order
/// (later wins), refusing unknown keys and bad values with a message naming the key.
public enum ConfigLoader {
    /// Applies the JSON configuration file at `path`.
    public static func applyFile(_ path: String, to config: inout ServerConfiguration) throws(ConfigError) {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw .unreadableFile(path, reason: error.localizedDescription)
        }
        let root: JSONValue
        do {
            root = try JSONValue.parse([UInt8](data))
        } catch {
            throw .invalidJSON(path, reason: "\(error)")
        }
        guard case .object = root else { throw .invalidJSON(path, reason: "the top level must be an object") }
        try applyObject(root, prefix: "", to: &config, source: path)
    }

    private static func applyObject(
        _ value: JSONValue, prefix: String, to config: inout ServerConfiguration, source: String
    ) throws(ConfigError) {
        if let key = ConfigKeys.key(prefix) {
            try key.apply(.json(value), to: &config)
            return
        }
        guard case .object(let members) = value, ConfigKeys.all.contains(where: { $0.path.hasPrefix(prefix) }) else {
            throw .unknownKey(prefix, source: source)
        }
        for name in members.keys.sorted() {
            guard let member = members[name] else { continue }
            let path = prefix.isEmpty ? name : "\(prefix).\(name)"
            guard ConfigKeys.all.contains(where: { $0.path == path || $0.path.hasPrefix(path + ".") }) else {
                throw .unknownKey(path, source: source)
            }
            try applyObject(member, prefix: path, to: &config, source: source)
        }
    }

    /// Applies environment variables: each key's own names, plus the predecessor's `TTS_ENABLED`/`TTS_MODEL_TYPE`.
    public static func applyEnvironment(_ env: [String: String], to config: inout ServerConfiguration) throws(ConfigError) {
        for key in ConfigKeys.all {
            for name in key.environment {
                if let value = env[name] { try key.apply(.text(value), to: &config) }
            }
        }
        if env["TTS_ENABLED"] != nil || env["TTS_MODEL_TYPE"] != nil {
            var ttsEnabled = true
            if let raw = env["TTS_ENABLED"] {
                var probe = ServerConfiguration()
                try ConfigKey.bool("TTS_ENABLED", \.models.realtime.common.enabled, "").apply(.text(raw), to: &probe)
                ttsEnabled = probe.models.realtime.common.enabled
            }
            let type = (env["TTS_MODEL_TYPE"] ?? "0.5b").lowercased()
            guard ["0.5b", "1.5b", "both"].contains(type) else {
                throw .badValue(key: "TTS_MODEL_TYPE", expected: "one of 0.5b, 1.5b, both", got: "\"\(type)\"")
            }
            config.models.realtime.common.enabled = ttsEnabled && (type == "0.5b" || type == "both")
            config.models.tts15B.common.enabled = ttsEnabled && (type == "1.5b" || type == "both")
        }
    }

    /// Applies one `key=value` override (the `--set` flag).
    public static func applyOverride(_ assignment: String, to config: inout ServerConfiguration) throws(ConfigError) {
        guard let eq = assignment.firstIndex(of: "=") else {
            throw .badValue(key: assignment, expected: "key=value", got: "\"\(assignment)\"")
        }
        let path = String(assignment[..<eq]).trimmingCharacters(in: .whitespaces)
        guard let key = ConfigKeys.key(path) else { throw .unknownKey(path, source: "--set") }
        try key.apply(.text(String(assignment[assignment.index(after: eq)...])), to: &config)
    }

    /// The configuration as a nested JSON object (secrets masked), for `--print-config`.
    public static func render(_ config: ServerConfiguration) -> String {
        var root: [String: Any] = [:]
        for key in ConfigKeys.all {
            insert(key.value(in: config), at: key.path.split(separator: ".").map(String.init), into: &root)
        }
        guard let data = try? JSONSerialization.data(withJSONObject: root, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        else { return "{}" }
        return String(decoding: data, as: UTF8.self)
    }

    /// Every key as a Markdown table row: path, environment variables, built-in default, meaning.
    public static func markdownTable() -> String {
        let defaults = ServerConfiguration()
        var lines = ["| key | environment | default | meaning |", "|---|---|---|---|"]
        for key in ConfigKeys.all {
            let value = key.value(in: defaults)
            let shown: String
            if let data = try? JSONSerialization.data(withJSONObject: [value], options: [.withoutEscapingSlashes]) {
                shown = String(decoding: data.dropFirst().dropLast(), as: UTF8.self)
            } else {
                shown = "\(value)"
            }
            let env = key.environment.map { "`\($0)`" }.joined(separator: ", ")
            lines.append("| `\(key.path)` | \(env) | `\(shown)` | \(key.doc.replacingOccurrences(of: "|", with: "\\|")) |")
        }
        return lines.joined(separator: "\n")
    }

    private static func insert(_ value: Any, at path: [String], into object: inout [String: Any]) {
        guard let head = path.first else { return }
        if path.count == 1 {
            object[head] = value
            return
        }
        var child = object[head] as? [String: Any] ?? [:]
        insert(value, at: Array(path.dropFirst()), into: &child)
        object[head] = child
    }
}
