import Foundation

/// A bounded hand-off of byte chunks from a producer task to the transport that sends them.
///
/// The producer suspends in `write` while `capacity` bytes are waiting (back-pressure, so a slow client never makes
/// the server buffer a whole utterance). When the consumer goes away (`cancel`, called when the transport drops its
/// iterator after a failed socket write), every pending and later `write` throws `ClientDisconnected`.
final class ByteStreamChannel: @unchecked Sendable {
    private let lock = NSLock()
    private var chunks: [[UInt8]] = []
    private var buffered = 0
    private var finished = false
    private var failure: (any Error)?
    private var cancelled = false
    private var consumer: CheckedContinuation<Void, Never>?
    private var producer: CheckedContinuation<Void, any Error>?
    private let capacity: Int

    init(capacity: Int = 256 * 1024) {
        self.capacity = capacity
    }

    /// Producer side: queues `bytes`, waiting while the buffer is full.
    func write(_ bytes: [UInt8]) async throws {
        guard !bytes.isEmpty else { return }
        while true {
            try Task.checkCancellation()
            let mustWait: Bool = try lock.withLock {
                if cancelled { throw ClientDisconnected() }
                if buffered < capacity {
                    chunks.append(bytes)
                    buffered += bytes.count
                    resumeConsumer()
                    return false
                }
                return true
            }
            if !mustWait { return }
            try await withTaskCancellationHandler {
                try await withCheckedThrowingContinuation { (c: CheckedContinuation<Void, any Error>) in
                    lock.withLock {
                        if cancelled || buffered < capacity { c.resume() } else { producer = c }
                    }
                }
            } onCancel: {
                lock.withLock { resumeProducer() }
            }
        }
    }

    /// Producer side: the body is complete (`error == nil`) or failed.
    func finish(error: (any Error)? = nil) {
        lock.withLock {
            finished = true
            failure = error
            resumeConsumer()
        }
    }

    /// Consumer side: the next chunk, at most `maxBytes` long; nil at the end; throws the producer's failure.
    func next(maxBytes: Int) async throws -> [UInt8]? {
        while true {
            let result: [UInt8]?? = try lock.withLock {
                if !chunks.isEmpty {
                    var first = chunks.removeFirst()
                    if first.count > maxBytes {
                        chunks.insert(Array(first[maxBytes...]), at: 0)
                        first = Array(first[..<maxBytes])
                    }
                    buffered -= first.count
                    resumeProducer()
                    return .some(first)
                }
                if finished {
                    if let failure { throw failure }
                    return .some(nil)
                }
                return nil
            }
            if let result { return result }
            await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                lock.withLock {
                    if !chunks.isEmpty || finished { c.resume() } else { consumer = c }
                }
            }
        }
    }

    /// Consumer side: the client is gone; wakes and fails the producer.
    func cancel() {
        lock.withLock {
            cancelled = true
            chunks.removeAll()
            buffered = 0
            resumeProducer()
        }
    }

    var isCancelled: Bool { lock.withLock { cancelled } }

    private func resumeConsumer() {
        consumer?.resume()
        consumer = nil
    }

    private func resumeProducer() {
        producer?.resume()
        producer = nil
    }
}
