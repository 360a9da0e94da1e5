#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#elseif canImport(WinSDK)
import WinSDK
#endif

/// Gives the rest of this thread's time slice to another runnable thread (spin-wait back-off).
public enum CPUYield {
    /// `sched_yield()` on POSIX, `SwitchToThread()` on Windows.
    @inline(__always)
    public static func now() {
        #if canImport(WinSDK)
        _ = SwitchToThread()
        #else
        _ = sched_yield()
        #endif
    }
}
