import Foundation
import Testing
import VVPlatform

/// `VVPlatform` shims (tested here: the platform target has no test target of its own).
struct MappedFileTests {
    @Test func mapsContentsAndEmptyFiles() throws {
        let dir = try makeTemporaryDirectory()
        try Data([1, 2, 3, 250]).write(to: URL(fileURLWithPath: dir + "/four"))
        try Data().write(to: URL(fileURLWithPath: dir + "/empty"))
        let four = try MappedFile(path: dir + "/four")
        #expect(Array(four.bytes) == [1, 2, 3, 250])
        #expect(try MappedFile(path: dir + "/empty").bytes.isEmpty)
        #expect(throws: PlatformError.self) { try MappedFile(path: dir + "/absent") }
    }

    @Test func peakMemoryIsReportedOnLinux() {
        #if os(Linux)
        let peak = ProcessMemory.peakResidentBytes() ?? 0
        #expect(peak > 1_000_000, "a test process uses more than 1 MB")
        #endif
    }
}
