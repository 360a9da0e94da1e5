import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// One running `ffmpeg`: started without a shell, stderr drained in the background (last 2 KiB kept for messages),
/// terminated when its time limit passes or when the owner drops it.
///
/// Blocking reads run on threads of their own, not on libdispatch: on Linux its pool stays near the core count, and
/// blocking there stalls every other queued block (seen as AAC output arriving a second late). The threads hold
/// only the `Shared` state, never this object, so dropping it ends the process and with it the threads.
final class FFmpegProcess: @unchecked Sendable {
    /// State the reader and watchdog threads share with the owner.
    private final class Shared: @unchecked Sendable {
        let lock = NSLock()
        var stderrTail: [UInt8] = []
        var collected: [UInt8] = []
        var killedByTimer = false
        let collectionDone = DispatchSemaphore(value: 0)
        let stderrDone = DispatchSemaphore(value: 0)
        let ended = DispatchSemaphore(value: 0)
    }

    private let process = Process()
    private let output = Pipe()
    private let errors = Pipe()
    private let input: Pipe?
    private let shared = Shared()
    private var collecting = false

    /// Starts `tool` with `arguments`; with `stdin` the caller writes to it through `write`.
    init(tool: FFmpegTool, arguments: [String], stdin: Bool, timeout: Double) throws {
        #if !os(Windows)
            // A write to an ffmpeg that has died must be an error, not a SIGPIPE that ends the server.
            signal(SIGPIPE, SIG_IGN)
        #endif
        input = stdin ? Pipe() : nil
        process.executableURL = URL(fileURLWithPath: tool.path)
        process.arguments = arguments
        process.standardOutput = output
        process.standardError = errors
        process.standardInput = input ?? FileHandle.nullDevice
        do { try process.run() } catch {
            throw AudioError.backendFailed(backend: "ffmpeg", detail: "cannot start \(tool.path): \(error)")
        }
        let shared = self.shared
        let errHandle = errors.fileHandleForReading
        Thread {
            while let d = Self.readSome(errHandle) {
                shared.lock.withLock {
                    shared.stderrTail += d
                    if shared.stderrTail.count > 2048 { shared.stderrTail.removeFirst(shared.stderrTail.count - 2048) }
                }
            }
            shared.stderrDone.signal()
        }.start()
        if timeout.isFinite {
            let process = self.process
            let deadline = DispatchTime.now() + .nanoseconds(Int(min(timeout, 1e9) * 1e9))
            Thread {
                guard shared.ended.wait(timeout: deadline) == .timedOut, process.isRunning else { return }
                shared.lock.withLock { shared.killedByTimer = true }
                Self.stop(process)
            }.start()
        }
    }

    deinit {
        shared.ended.signal()
        try? input?.fileHandleForWriting.close()
        Self.stop(process)
    }

    /// Whether the time limit ended the run.
    var timedOut: Bool { shared.lock.withLock { shared.killedByTimer } }

    /// The end of what ffmpeg wrote to stderr, as one line.
    var errorText: String {
        let bytes = shared.lock.withLock { shared.stderrTail }
        return String(decoding: bytes, as: UTF8.self).split(whereSeparator: \.isNewline).joined(separator: " | ")
    }

    /// Blocks for the next piece of stdout; nil at end of stream.
    func readOutput() -> [UInt8]? {
        Self.readSome(output.fileHandleForReading)
    }

    /// Collects stdout on a background thread from now on (for encoders); read it with `takeCollected`.
    func startCollecting() {
        collecting = true
        let shared = self.shared
        let handle = output.fileHandleForReading
        Thread {
            while let d = Self.readSome(handle) {
                shared.lock.withLock { shared.collected += d }
            }
            shared.collectionDone.signal()
        }.start()
    }

    /// Returns and clears what the collector has gathered.
    func takeCollected() -> [UInt8] {
        shared.lock.withLock {
            defer { shared.collected.removeAll(keepingCapacity: true) }
            return shared.collected
        }
    }

    /// Writes `bytes` to ffmpeg's stdin.
    func write(_ bytes: [UInt8]) throws {
        guard let input else { return }
        #if os(Windows)
            do { try input.fileHandleForWriting.write(contentsOf: bytes) } catch {
                throw AudioError.backendFailed(backend: "ffmpeg", detail: "stopped taking input: \(errorText)")
            }
        #else
            let fd = input.fileHandleForWriting.fileDescriptor
            var offset = 0
            while offset < bytes.count {
                let n = bytes.withUnsafeBytes { b in
                    b.baseAddress.map { posixWrite(fd, $0 + offset, b.count - offset) } ?? 0
                }
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else {
                    throw AudioError.backendFailed(backend: "ffmpeg", detail: "stopped taking input: \(errorText)")
                }
                offset += n
            }
        #endif
    }

    /// Closes stdin so ffmpeg flushes and exits.
    func closeInput() {
        try? input?.fileHandleForWriting.close()
    }

    /// Waits for the process (and the output collector, if any) to end; returns the exit status.
    func wait() -> Int32 {
        if collecting { shared.collectionDone.wait() }
        process.waitUntilExit()
        shared.ended.signal()
        shared.stderrDone.wait()
        shared.stderrDone.signal()
        return process.terminationStatus
    }

    /// Stops the process if it is still running.
    func terminate() { Self.stop(process) }

    /// SIGTERM, then SIGKILL after a second if it is still alive.
    private static func stop(_ process: Process) {
        guard process.isRunning else { return }
        process.terminate()
        #if !os(Windows)
            let pid = process.processIdentifier
            Thread {
                Thread.sleep(forTimeInterval: 1)
                if process.isRunning { kill(pid, SIGKILL) }
            }.start()
        #endif
    }

    /// Blocks until the pipe has bytes and returns what it holds (up to 64 KiB); nil at end of stream.
    private static func readSome(_ handle: FileHandle) -> [UInt8]? {
        #if os(Windows)
            let d = handle.availableData
            return d.isEmpty ? nil : [UInt8](d)
        #else
            // One read(2): FileHandle's reads may wait to fill their buffer before returning.
            var buffer = [UInt8](repeating: 0, count: 1 << 16)
            while true {
                let n = buffer.withUnsafeMutableBytes { read(handle.fileDescriptor, $0.baseAddress, $0.count) }
                if n > 0 { return Array(buffer[0..<n]) }
                if n < 0 && errno == EINTR { continue }
                return nil
            }
        #endif
    }
}

#if !os(Windows)
    /// `write(2)`, named apart from the instance method.
    private func posixWrite(_ fd: Int32, _ p: UnsafeRawPointer, _ n: Int) -> Int {
        write(fd, p, n)
    }
#endif
