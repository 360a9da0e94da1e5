#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#elseif canImport(WinSDK)
import WinSDK
#endif

/// Process memory figures for benchmarks.
public enum ProcessMemory {
    /// The peak resident set size of this process in bytes, or nil where the OS does not say.
    ///
    /// Linux: `VmHWM` from `/proc/self/status`; elsewhere `getrusage` (macOS) or nil (Windows, not yet wired).
    public static func peakResidentBytes() -> Int? {
        #if os(Linux)
        guard let file = fopen("/proc/self/status", "r") else { return nil }
        defer { fclose(file) }
        var line = [CChar](repeating: 0, count: 512)
        while fgets(&line, Int32(line.count), file) != nil {
            let text = String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            if text.hasPrefix("VmHWM:") {
                let digits = text.filter { $0.isNumber }
                return Int(digits).map { $0 * 1024 }
            }
        }
        return nil
        #elseif canImport(Darwin)
        var usage = rusage()
        guard getrusage(RUSAGE_SELF, &usage) == 0 else { return nil }
        return Int(usage.ru_maxrss)
        #else
        return nil
        #endif
    }
}
