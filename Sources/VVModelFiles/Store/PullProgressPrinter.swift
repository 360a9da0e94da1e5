import Foundation

/// Renders `PullEvent`s for people: a redrawn progress bar on a terminal, plain lines otherwise (logs, pipes).
///
/// Plain mode prints a line when a file starts, every 10 % of a large file, and when it is verified; notes are printed
/// as they come. Thread-safe: events may arrive from any thread.
public final class PullProgressPrinter: @unchecked Sendable {
    private let terminal: Bool
    private let write: @Sendable (String) -> Void
    private let lock = NSLock()
    private var lastDraw = Date.distantPast
    private var lastDecile: [String: Int64] = [:]
    private var started: [String: (date: Date, bytes: Int64)] = [:]
    private var barShown = false

    /// A printer; `terminal` picks the bar, `write` receives text (default: standard error).
    public init(terminal: Bool, write: @escaping @Sendable (String) -> Void = PullProgressPrinter.standardError) {
        self.terminal = terminal
        self.write = write
    }

    /// Writes to standard error.
    public static let standardError: @Sendable (String) -> Void = { text in
        FileHandle.standardError.write(Data(text.utf8))
    }

    /// The event handler to pass to `ModelStore.pull`.
    public var handler: @Sendable (PullEvent) -> Void { { [self] event in handle(event) } }

    /// Renders one event.
    public func handle(_ event: PullEvent) {
        lock.withLock {
            switch event {
            case .note(let text):
                emitLine(text)
            case .file(let progress):
                render(progress)
            }
        }
    }

    private func emitLine(_ text: String) {
        if terminal && barShown {
            write("\r\u{1B}[2K")
            barShown = false
        }
        write(text + "\n")
    }

    private func render(_ p: FileProgress) {
        let key = "\(p.component)/\(p.file)"
        switch p.state {
        case .skipped:
            if !terminal { emitLine("\(key): already complete") }
        case .started(let resumedFrom):
            started[key] = nil
            lastDecile[key] = resumedFrom * 10 / max(p.total, 1)
            let resume = resumedFrom > 0 ? ", resuming at \(ByteCountText.format(resumedFrom))" : ""
            if terminal { drawBar(p, key: key, force: true) } else { emitLine("\(key): downloading \(ByteCountText.format(p.total))\(resume)") }
        case .downloading:
            // The rate counts from the first new bytes: resuming first re-hashes what the part file already holds.
            if started[key] == nil { started[key] = (Date(), p.bytes) }
            if terminal {
                drawBar(p, key: key, force: false)
            } else {
                let decile = p.bytes * 10 / max(p.total, 1)
                if p.total >= 10_000_000, decile > (lastDecile[key] ?? 0), decile < 10 {
                    lastDecile[key] = decile
                    emitLine("\(key): \(decile * 10)% (\(ByteCountText.format(p.bytes)) of \(ByteCountText.format(p.total))\(rate(key, p.bytes)))")
                }
            }
        case .verified:
            emitLine("\(key): \(ByteCountText.format(p.total)) verified")
        }
    }

    private func rate(_ key: String, _ bytes: Int64) -> String {
        guard let start = started[key] else { return "" }
        let seconds = Date().timeIntervalSince(start.date)
        guard seconds > 0.5 else { return "" }
        return ", \(ByteCountText.format(Int64(Double(bytes - start.bytes) / seconds)))/s"
    }

    private func drawBar(_ p: FileProgress, key: String, force: Bool) {
        let now = Date()
        guard force || now.timeIntervalSince(lastDraw) >= 0.1 else { return }
        lastDraw = now
        let width = 30
        let fraction = Double(p.bytes) / Double(max(p.total, 1))
        let filled = min(width, Int(fraction * Double(width)))
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        let percent = Int(fraction * 100)
        write("\r\u{1B}[2K\(p.file) [\(bar)] \(percent)% \(ByteCountText.format(p.bytes))/\(ByteCountText.format(p.total))\(rate(key, p.bytes))")
        barShown = true
    }
}
