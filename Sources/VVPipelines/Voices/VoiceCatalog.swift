import Foundation

/// The voices found in a voices folder, laid out as the predecessor server lays it out.
///
/// - Realtime 0.5B presets: every `*.pt` under `<dir>/streaming_model/` (recursively) and every `*.pt` directly in
///   `<dir>` (so a folder of presets works too).
/// - 1.5B reference samples: every `*.wav` under `<dir>/full_model/` (recursively), listed separately.
///
/// A voice's id is its file stem (`en-Carter_man`); name, language and gender come from `VoiceInfo(presetID:)`.
/// Ids are unique per list, compared case-insensitively (the resolver matches them that way): when two files share
/// one, the first in path order wins and the others are reported in `shadowed`. Hidden files and folders are skipped.
public struct VoiceCatalog: Sendable, Equatable {
    /// One voice and the file it comes from.
    public struct Entry: Sendable, Equatable {
        /// The voice record (type `preset`).
        public let info: VoiceInfo
        /// The `.pt` preset or `.wav` sample.
        public let file: URL
    }

    /// The folder that was scanned.
    public let directory: URL
    /// Realtime 0.5B presets, sorted by id.
    public let streaming: [Entry]
    /// 1.5B reference samples, sorted by id.
    public let fullModel: [Entry]
    /// Files skipped because an earlier file had the same id.
    public let shadowed: [URL]

    /// Voices of the realtime 0.5B model, for `SpeechSynthesizer.voices` and `VoiceResolver`.
    public var streamingVoices: [VoiceInfo] { streaming.map(\.info) }
    /// Voices of the 1.5B model.
    public var fullModelVoices: [VoiceInfo] { fullModel.map(\.info) }

    /// Creates a catalog from entries already found (for tests and for callers with their own layout).
    public init(directory: URL, streaming: [Entry], fullModel: [Entry], shadowed: [URL] = []) {
        self.directory = directory
        self.streaming = streaming
        self.fullModel = fullModel
        self.shadowed = shadowed
    }

    /// Scans `directory`.
    public static func scan(_ directory: URL) throws(VoiceError) -> VoiceCatalog {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: directory.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw .directoryNotFound(path: directory.path)
        }
        var shadowed: [URL] = []
        var presets = try files(in: directory, extension: "pt", recursive: false)
        presets += try files(in: directory.appendingPathComponent("streaming_model"), extension: "pt", recursive: true)
        let samples = try files(in: directory.appendingPathComponent("full_model"), extension: "wav", recursive: true)
        let streaming = unique(presets, shadowed: &shadowed)
        let fullModel = unique(samples, shadowed: &shadowed)
        return VoiceCatalog(directory: directory, streaming: streaming, fullModel: fullModel, shadowed: shadowed)
    }

    /// The streaming preset with this id: exact match first, then case-insensitive.
    public func streamingEntry(id: String) -> Entry? {
        streaming.first { $0.info.id == id } ?? streaming.first { $0.info.id.lowercased() == id.lowercased() }
    }

    private static func unique(_ files: [URL], shadowed: inout [URL]) -> [Entry] {
        var seen: Set<String> = []
        var entries: [Entry] = []
        for file in files {
            let id = file.deletingPathExtension().lastPathComponent
            guard seen.insert(id.lowercased()).inserted else {
                shadowed.append(file)
                continue
            }
            entries.append(Entry(info: VoiceInfo(presetID: id), file: file))
        }
        return entries.sorted { $0.info.id < $1.info.id }
    }

    /// Files with `extension` (case-insensitive) in `folder`, sorted by path; an absent folder gives none.
    private static func files(in folder: URL, extension ext: String, recursive: Bool) throws(VoiceError) -> [URL] {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: folder.path, isDirectory: &isDirectory), isDirectory.boolValue else { return [] }
        var found: [String] = []
        if recursive {
            guard let walker = fm.enumerator(atPath: folder.path) else {
                throw .directoryUnreadable(path: folder.path, reason: "cannot enumerate")
            }
            while let relative = walker.nextObject() as? String {
                let components = relative.split(whereSeparator: { $0 == "/" || $0 == "\\" })
                guard !components.contains(where: { $0.hasPrefix(".") }) else { continue }
                found.append(relative)
            }
        } else {
            do {
                found = try fm.contentsOfDirectory(atPath: folder.path).filter { !$0.hasPrefix(".") }
            } catch {
                throw .directoryUnreadable(path: folder.path, reason: error.localizedDescription)
            }
        }
        return found.sorted().compactMap { relative -> URL? in
            let url = folder.appendingPathComponent(relative)
            guard url.pathExtension.lowercased() == ext else { return nil }
            var isDir: ObjCBool = false
            guard fm.fileExists(atPath: url.path, isDirectory: &isDir), !isDir.boolValue else { return nil }
            return url
        }
    }
}
