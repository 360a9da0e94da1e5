import ArgumentParser
import Foundation
import VVModelFiles
import VVPipelines

/// `vibevoice voices`: list the voices of a voices folder, or inspect one `.pt` preset.
struct Voices: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "voices",
        abstract: "List voices or inspect a voice preset file.",
        subcommands: [List.self, Inspect.self])

    /// `vibevoice voices list`.
    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the voices of a voices folder.",
            discussion: """
                Realtime 0.5B presets are the *.pt files under <dir>/streaming_model/ (recursively) and directly in \
                <dir>; 1.5B reference samples are the *.wav files under <dir>/full_model/. Ids are file stems; \
                language and gender come from names like en-Carter_man.
                """)

        /// The voices folder.
        @Option(name: .long, help: "Voices folder (default: $VOICES_PATH).")
        var voicesDir: String?

        /// Print JSON instead of a table.
        @Flag(name: .long, help: "Print one JSON object.")
        var json = false

        func run() async throws {
            guard let dir = voicesDir ?? ProcessInfo.processInfo.environment["VOICES_PATH"], !dir.isEmpty else {
                throw ValidationError("no voices folder: pass --voices-dir DIR or set VOICES_PATH")
            }
            let catalog = try VoiceCatalog.scan(URL(fileURLWithPath: dir))
            let rows =
                catalog.streaming.map { VoiceRow($0, model: "realtime-0.5b") }
                + catalog.fullModel.map { VoiceRow($0, model: "1.5b") }
            if json {
                let listing = VoiceListing(
                    directory: catalog.directory.path, voices: rows, shadowed: catalog.shadowed.map(\.path))
                print(try encodeJSON(listing))
                return
            }
            if rows.isEmpty {
                print("no voices in \(catalog.directory.path)")
                return
            }
            var table = [["ID", "NAME", "LANG", "GENDER", "MODEL", "FILE"]]
            table += rows.map { [$0.id, $0.name, $0.language ?? "-", $0.gender ?? "-", $0.model, $0.file] }
            printTable(table)
            for file in catalog.shadowed { print("note: \(file.path) ignored (same id as an earlier file)") }
        }
    }

    /// `vibevoice voices inspect FILE.pt`.
    struct Inspect: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Show the groups, tensor shapes and dtypes of a .pt voice preset.",
            discussion: """
                The file is read with the restricted unpickler (nothing in it is executed), then checked as a \
                VibeVoice-Realtime-0.5B preset. With --stats, each tensor also gets the CRC-32 of its raw bytes \
                (row-major) and the sum of its values, to compare with what torch reads.
                """)

        /// The preset file.
        @Argument(help: "A .pt file written by torch.save.")
        var file: String

        /// Print per-tensor checksums and sums.
        @Flag(name: .long, help: "Add the CRC-32 of each tensor's bytes and the sum of its values.")
        var stats = false

        /// Print JSON instead of text.
        @Flag(name: .long, help: "Print one JSON object.")
        var json = false

        /// Base LM layers the preset must have.
        @Option(name: .long, help: "Expected base LM layers (lm, neg_lm).")
        var baseLayers = VoicePresetShape.realtime05B.baseLayers

        /// TTS LM layers the preset must have.
        @Option(name: .long, help: "Expected TTS LM layers (tts_lm, neg_tts_lm).")
        var ttsLayers = VoicePresetShape.realtime05B.ttsLayers

        /// KV heads per layer.
        @Option(name: .long, help: "Expected key/value heads per layer.")
        var kvHeads = VoicePresetShape.realtime05B.kvHeads

        /// Head size.
        @Option(name: .long, help: "Expected head size.")
        var headDim = VoicePresetShape.realtime05B.headDim

        /// Hidden size of last_hidden_state.
        @Option(name: .long, help: "Expected hidden size of last_hidden_state.")
        var hiddenSize = VoicePresetShape.realtime05B.hiddenSize ?? 896

        func run() async throws {
            let shape = VoicePresetShape(
                baseLayers: baseLayers, ttsLayers: ttsLayers, kvHeads: kvHeads, headDim: headDim,
                hiddenSize: hiddenSize)
            let url = URL(fileURLWithPath: file)
            let value = try TorchFile.read(contentsOf: url)
            let tensors = value.tensorsWithPaths().map { TensorRow(path: $0.path, tensor: $0.tensor, stats: stats) }
            var check = PresetCheck(valid: true, error: nil, lengths: nil)
            do {
                let preset = try VoicePreset(value: value, shape: shape)
                check.lengths = Dictionary(uniqueKeysWithValues: preset.groups.map { ($0.name, $0.group.length) })
            } catch {
                check = PresetCheck(valid: false, error: error.description, lengths: nil)
            }
            if json {
                print(try encodeJSON(InspectReport(file: url.path, tensors: tensors, preset: check)))
                return
            }
            printStructure(value, stats: stats)
            if let lengths = check.lengths {
                let summary = VoicePreset.groupNames.map { "\($0) \(lengths[$0] ?? 0)" }.joined(separator: ", ")
                print("valid voice preset; prompt positions: \(summary)")
            } else {
                print("preset check failed: \(check.error ?? "?")")
            }
        }

        /// Prints objects, scalars and tensors one per line; runs of same-shaped tensors in a list share a line.
        private func printStructure(_ value: TorchValue, stats: Bool, path: String = "", depth: Int = 0) {
            let indent = String(repeating: "  ", count: depth)
            func child(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }
            switch value {
            case .tensor(let t):
                print(
                    "\(indent)\(path.isEmpty ? "<root>" : path)  \(TensorRow(path: path, tensor: t, stats: stats).line)"
                )
            case .dict(let dict):
                if !path.isEmpty { print("\(indent)\(path): dict") }
                for (key, item) in dict.entries {
                    printStructure(
                        item, stats: stats, path: child(key.description), depth: path.isEmpty ? 0 : depth + 1)
                }
            case .object(let object):
                let scalars = object.fields.entries.filter { !$0.value.isContainer }
                let notes = scalars.map { "\($0.key)=\($0.value.shortText)" }.joined(separator: ", ")
                print("\(indent)\(path): \(value.kindName)\(notes.isEmpty ? "" : " (\(notes))")")
                for (key, item) in object.fields.entries where item.isContainer {
                    printStructure(item, stats: stats, path: child(key.description), depth: depth + 1)
                }
            case .list(let items), .tuple(let items):
                let tensors = items.compactMap(\.tensor)
                if !stats, !tensors.isEmpty, tensors.count == items.count,
                    tensors.allSatisfy({ $0.shape == tensors[0].shape && $0.dtype == tensors[0].dtype })
                {
                    let row = TensorRow(path: path, tensor: tensors[0], stats: false)
                    print("\(indent)\(path)[0..\(items.count - 1)]  \(row.line)")
                } else {
                    print("\(indent)\(path): \(value.kindName) of \(items.count)")
                    for (i, item) in items.enumerated() {
                        printStructure(item, stats: stats, path: "\(path)[\(i)]", depth: depth + 1)
                    }
                }
            default:
                print("\(indent)\(path): \(value.shortText)")
            }
        }
    }
}

/// One voice as `voices list` shows it.
private struct VoiceRow: Encodable {
    let id: String
    let name: String
    let language: String?
    let gender: String?
    let type: String
    let model: String
    let file: String

    init(_ entry: VoiceCatalog.Entry, model: String) {
        id = entry.info.id
        name = entry.info.name
        language = entry.info.language
        gender = entry.info.gender
        type = entry.info.type
        self.model = model
        file = entry.file.path
    }
}

private struct VoiceListing: Encodable {
    let directory: String
    let voices: [VoiceRow]
    let shadowed: [String]
}

/// One tensor as `voices inspect` shows it.
private struct TensorRow: Encodable {
    let path: String
    let dtype: String
    let shape: [Int]
    let strides: [Int]
    let crc32: String?
    let sum: Double?

    init(path: String, tensor: TorchTensor, stats: Bool) {
        self.path = path
        dtype = tensor.dtype.rawValue
        shape = tensor.shape
        strides = tensor.strides
        if stats {
            crc32 = String(format: "%08x", tensor.checksum())
            sum = tensor.floatValues().reduce(0.0) { $0 + Double($1) }
        } else {
            crc32 = nil
            sum = nil
        }
    }

    var line: String {
        var text = "\(dtype) \(shape)"
        if let crc32, let sum { text += "  crc32=\(crc32) sum=\(sum)" }
        return text
    }
}

private struct PresetCheck: Encodable {
    var valid: Bool
    var error: String?
    var lengths: [String: Int]?
}

private struct InspectReport: Encodable {
    let file: String
    let tensors: [TensorRow]
    let preset: PresetCheck
}

private func encodeJSON(_ value: some Encodable) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return String(decoding: try encoder.encode(value), as: UTF8.self)
}

private func printTable(_ rows: [[String]]) {
    guard let header = rows.first else { return }
    let widths = header.indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
    for row in rows {
        let cells = row.enumerated().map { column, cell in
            column == row.count - 1 ? cell : cell.padding(toLength: widths[column], withPad: " ", startingAt: 0)
        }
        print(cells.joined(separator: "  "))
    }
}

extension TorchValue {
    fileprivate var isContainer: Bool {
        switch self {
        case .list, .tuple, .dict, .object, .tensor: return true
        default: return false
        }
    }

    fileprivate var shortText: String {
        switch self {
        case .none: return "None"
        case .bool(let b): return b ? "True" : "False"
        case .int(let i): return String(i)
        case .float(let f): return String(f)
        case .string(let s): return "'\(s)'"
        default: return kindName
        }
    }
}
