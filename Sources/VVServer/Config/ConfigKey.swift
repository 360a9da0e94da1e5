import Foundation

/// One configuration key: its dotted path (`server.port`), environment variables, documentation, and how to read
/// and write it. Values come from the JSON file (`JSONValue`) or from text (environment, `--set`, flags).
public struct ConfigKey: Sendable {
    /// Where a value came from, for error messages.
    public enum Input: Sendable {
        case json(JSONValue)
        case text(String)
    }

    /// Dotted path, as in the JSON file.
    public let path: String
    /// Environment variables that set this key (the Python predecessor's names first).
    public let environment: [String]
    /// One line for the README table.
    public let doc: String
    let read: @Sendable (ServerConfiguration) -> Any
    let write: @Sendable (inout ServerConfiguration, Input) throws(ConfigError) -> Void

    /// Sets the key from `input`, checking type and range.
    public func apply(_ input: Input, to config: inout ServerConfiguration) throws(ConfigError) {
        try write(&config, input)
    }

    /// The key's current value as a JSON-compatible object.
    public func value(in config: ServerConfiguration) -> Any { read(config) }
}

extension ConfigKey {
    static func int(
        _ path: String, _ keyPath: WritableKeyPath<ServerConfiguration, Int>, _ range: ClosedRange<Int>,
        env: [String] = [], _ doc: String
    ) -> ConfigKey {
        let kp = UncheckedKeyPath(keyPath)
        return ConfigKey(path: path, environment: env, doc: doc, read: { $0[keyPath: kp.path] }) { config, input throws(ConfigError) in
            let n: Int?
            switch input {
            case .json(.number(let d)): n = d.rounded() == d && abs(d) < 1e15 ? Int(d) : nil
            case .text(let s): n = Int(s.trimmingCharacters(in: .whitespaces))
            default: n = nil
            }
            guard let n, range.contains(n) else {
                throw ConfigError.badValue(key: path, expected: "an integer in \(range.lowerBound)...\(range.upperBound)", got: input.shown)
            }
            config[keyPath: kp.path] = n
        }
    }

    static func double(
        _ path: String, _ keyPath: WritableKeyPath<ServerConfiguration, Double>, _ range: ClosedRange<Double>,
        env: [String] = [], _ doc: String
    ) -> ConfigKey {
        let kp = UncheckedKeyPath(keyPath)
        return ConfigKey(path: path, environment: env, doc: doc, read: { $0[keyPath: kp.path] }) { config, input throws(ConfigError) in
            let n: Double?
            switch input {
            case .json(.number(let d)): n = d
            case .text(let s): n = Double(s.trimmingCharacters(in: .whitespaces))
            default: n = nil
            }
            guard let n, n.isFinite, range.contains(n) else {
                throw ConfigError.badValue(key: path, expected: "a number in \(range.lowerBound)...\(range.upperBound)", got: input.shown)
            }
            config[keyPath: kp.path] = n
        }
    }

    static func bool(
        _ path: String, _ keyPath: WritableKeyPath<ServerConfiguration, Bool>, env: [String] = [], _ doc: String
    ) -> ConfigKey {
        let kp = UncheckedKeyPath(keyPath)
        return ConfigKey(path: path, environment: env, doc: doc, read: { $0[keyPath: kp.path] }) { config, input throws(ConfigError) in
            switch input {
            case .json(.bool(let b)): config[keyPath: kp.path] = b
            case .text(let s):
                switch s.trimmingCharacters(in: .whitespaces).lowercased() {
                case "true", "1", "yes", "on": config[keyPath: kp.path] = true
                case "false", "0", "no", "off": config[keyPath: kp.path] = false
                default: throw ConfigError.badValue(key: path, expected: "true or false", got: input.shown)
                }
            default: throw ConfigError.badValue(key: path, expected: "true or false", got: input.shown)
            }
        }
    }

    static func string(
        _ path: String, _ keyPath: WritableKeyPath<ServerConfiguration, String>, oneOf allowed: [String]? = nil,
        env: [String] = [], _ doc: String
    ) -> ConfigKey {
        let kp = UncheckedKeyPath(keyPath)
        return ConfigKey(path: path, environment: env, doc: doc, read: { $0[keyPath: kp.path] }) { config, input throws(ConfigError) in
            let expected = allowed.map { "one of " + $0.joined(separator: ", ") } ?? "a string"
            guard let s = input.string, allowed.map({ $0.contains(s.lowercased()) }) ?? true else {
                throw ConfigError.badValue(key: path, expected: expected, got: input.shown)
            }
            config[keyPath: kp.path] = allowed == nil ? s : s.lowercased()
        }
    }

    static func optionalString(
        _ path: String, _ keyPath: WritableKeyPath<ServerConfiguration, String?>, env: [String] = [], _ doc: String
    ) -> ConfigKey {
        let kp = UncheckedKeyPath(keyPath)
        return ConfigKey(path: path, environment: env, doc: doc, read: { $0[keyPath: kp.path] as Any? ?? NSNull() }) {
            config, input throws(ConfigError) in
            if case .json(.null) = input {
                config[keyPath: kp.path] = nil
                return
            }
            guard let s = input.string else { throw ConfigError.badValue(key: path, expected: "a string or null", got: input.shown) }
            config[keyPath: kp.path] = s.isEmpty ? nil : s
        }
    }

    /// A list of strings: a JSON array, or comma-separated text.
    static func stringList(
        _ path: String, _ keyPath: WritableKeyPath<ServerConfiguration, [String]>, secret: Bool = false,
        env: [String] = [], _ doc: String
    ) -> ConfigKey {
        let kp = UncheckedKeyPath(keyPath)
        return ConfigKey(path: path, environment: env, doc: doc, read: { c in secret ? c[keyPath: kp.path].map { _ in "***" } : c[keyPath: kp.path] }) {
            config, input throws(ConfigError) in
            switch input {
            case .json(.array(let items)):
                var out: [String] = []
                for item in items {
                    guard case .string(let s) = item else {
                        throw ConfigError.badValue(key: path, expected: "an array of strings", got: input.shown)
                    }
                    out.append(s)
                }
                config[keyPath: kp.path] = out
            case .text(let s):
                config[keyPath: kp.path] = s.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            default:
                throw ConfigError.badValue(key: path, expected: "an array of strings", got: input.shown)
            }
        }
    }
}

extension ConfigKey.Input {
    var string: String? {
        switch self {
        case .json(.string(let s)), .text(let s): s
        default: nil
        }
    }

    var shown: String {
        switch self {
        case .text(let s): "\"\(s)\""
        case .json(.string(let s)): "\"\(s)\""
        case .json(.number(let d)): String(d)
        case .json(.bool(let b)): String(b)
        case .json(let v): v.typeName
        }
    }
}

/// A configuration problem, naming the key at fault.
public enum ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    case unknownKey(String, source: String)
    case badValue(key: String, expected: String, got: String)
    case unreadableFile(String, reason: String)
    case invalidJSON(String, reason: String)

    /// One line for the terminal.
    public var description: String {
        switch self {
        case .unknownKey(let key, let source): "unknown configuration key '\(key)' (\(source))"
        case .badValue(let key, let expected, let got): "configuration key '\(key)' must be \(expected), got \(got)"
        case .unreadableFile(let path, let reason): "cannot read configuration file \(path): \(reason)"
        case .invalidJSON(let path, let reason): "configuration file \(path) is not valid JSON: \(reason)"
        }
    }
}

/// A key path into the configuration, shared by the immutable key table. Key paths into plain value types are safe
/// to share; the wrapper only tells the compiler so.
struct UncheckedKeyPath<Value>: @unchecked Sendable {
    let path: WritableKeyPath<ServerConfiguration, Value>
    init(_ path: WritableKeyPath<ServerConfiguration, Value>) { self.path = path }
}
