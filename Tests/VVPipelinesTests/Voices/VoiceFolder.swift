import Foundation
import Testing

/// A temporary voices folder for one test, removed when the value is dropped.
final class VoiceFolder {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("voices-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(at: url)
    }

    /// Writes `contents` at `relative`, creating folders.
    @discardableResult
    func add(_ relative: String, contents: Data = Data("x".utf8)) throws -> URL {
        let file = url.appendingPathComponent(relative)
        try FileManager.default.createDirectory(
            at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        try contents.write(to: file)
        return file
    }

    /// The committed tiny preset (`tools/reference/make_voice_fixtures.py`).
    static func tinyPreset() throws -> Data {
        let url = try #require(
            Bundle.module.url(forResource: "tiny_preset.pt", withExtension: nil, subdirectory: "Fixtures"))
        return try Data(contentsOf: url)
    }
}
