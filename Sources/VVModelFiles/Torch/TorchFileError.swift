/// Why a torch `.pt` file (or a voice preset inside one) could not be read.
///
/// Every case says what was wrong and where, so that the message alone is enough to diagnose a bad file.
public enum TorchFileError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file could not be read from disk.
    case unreadable(path: String, reason: String)
    /// The file is larger than the reader's limit.
    case tooLarge(bytes: Int, limit: Int)
    /// The zip container is malformed (truncated, bad signature, out-of-range offsets, bad checksum...).
    case badZip(String)
    /// The zip uses a feature this reader does not implement (encryption, an unknown compression method...).
    case unsupportedZip(String)
    /// A required archive member is missing.
    case missingEntry(String)
    /// The archive's `byteorder` or `version` record is not one this reader understands.
    case unsupportedFormat(String)
    /// The pickle stream is malformed (stack underflow, missing MARK, truncated argument...).
    case badPickle(offset: Int, reason: String)
    /// The pickle uses an opcode outside the restricted set.
    case unsupportedOpcode(offset: Int, opcode: UInt8)
    /// The pickle names a global that is not on the allow-list (for example `os system`); nothing is executed.
    case forbiddenGlobal(offset: Int, name: String)
    /// An allowed global was used in a way this reader does not rebuild (wrong arguments, BUILD on a non-object...).
    case forbiddenCall(offset: Int, reason: String)
    /// A tensor's shape, strides or offset do not fit its storage, or a storage does not fit its record.
    case badTensor(String)
    /// The file was read but is not a voice preset of the expected structure and sizes; `field` is a path such as
    /// `tts_lm.past_key_values.key_cache[3]`.
    case invalidPreset(field: String, reason: String)

    /// One-line description naming what is wrong.
    public var description: String {
        switch self {
        case .unreadable(let path, let reason): return "cannot read \(path): \(reason)"
        case .tooLarge(let bytes, let limit): return "file is \(bytes) bytes, over the \(limit)-byte limit"
        case .badZip(let reason): return "malformed torch zip: \(reason)"
        case .unsupportedZip(let reason): return "unsupported torch zip: \(reason)"
        case .missingEntry(let name): return "torch zip has no \(name)"
        case .unsupportedFormat(let reason): return "unsupported torch file: \(reason)"
        case .badPickle(let offset, let reason): return "malformed pickle at byte \(offset): \(reason)"
        case .unsupportedOpcode(let offset, let opcode):
            return "pickle opcode 0x\(String(opcode, radix: 16)) at byte \(offset) is not allowed"
        case .forbiddenGlobal(let offset, let name):
            return "pickle at byte \(offset) refers to global '\(name)', which is not allowed (nothing was executed)"
        case .forbiddenCall(let offset, let reason): return "pickle at byte \(offset): \(reason)"
        case .badTensor(let reason): return "bad tensor: \(reason)"
        case .invalidPreset(let field, let reason): return "not a valid voice preset: \(field): \(reason)"
        }
    }
}
