import Foundation

/// Parses `value; key=token; key="quoted \" string"` header values (Content-Type, Content-Disposition).
enum HeaderParameters {
    /// Splits on `;` outside quotes; trims each piece.
    static func split(_ value: String) -> [String] {
        var pieces: [String] = []
        var current = ""
        var inQuotes = false
        var escaped = false
        for ch in value {
            if escaped {
                current.append(ch)
                escaped = false
            } else if ch == "\\" && inQuotes {
                current.append(ch)
                escaped = true
            } else if ch == "\"" {
                inQuotes.toggle()
                current.append(ch)
            } else if ch == ";" && !inQuotes {
                pieces.append(current.trimmingCharacters(in: .whitespaces))
                current = ""
            } else {
                current.append(ch)
            }
        }
        pieces.append(current.trimmingCharacters(in: .whitespaces))
        return pieces
    }

    /// The `key=value` parameters after the first piece, keys lower-cased, quoted values unescaped.
    static func parameters(of value: String) -> [String: String] {
        var out: [String: String] = [:]
        for piece in split(value).dropFirst() {
            guard let eq = piece.firstIndex(of: "=") else { continue }
            let key = piece[..<eq].trimmingCharacters(in: .whitespaces).lowercased()
            var raw = piece[piece.index(after: eq)...].trimmingCharacters(in: .whitespaces)
            if raw.count >= 2, raw.hasPrefix("\""), raw.hasSuffix("\"") {
                raw = String(raw.dropFirst().dropLast())
                var unescaped = ""
                var escaped = false
                for ch in raw {
                    if escaped {
                        unescaped.append(ch)
                        escaped = false
                    } else if ch == "\\" {
                        escaped = true
                    } else {
                        unescaped.append(ch)
                    }
                }
                raw = unescaped
            }
            if out[key] == nil { out[key] = raw }
        }
        return out
    }

    /// Decodes an RFC 5987 extended value (`UTF-8''na%C3%AFve.wav`).
    static func decodeExtendedValue(_ value: String) -> String? {
        let pieces = value.split(separator: "'", maxSplits: 2, omittingEmptySubsequences: false)
        guard pieces.count == 3, pieces[0].lowercased() == "utf-8" else { return nil }
        return String(pieces[2]).removingPercentEncoding
    }
}
