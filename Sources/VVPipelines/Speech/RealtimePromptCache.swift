import Foundation
import VVModels

/// Each voice's prompt on the compute device (`RealtimeVoicePrompt`), converted and uploaded once and then shared
/// read-only by every request that speaks with that voice, instead of once per request.
///
/// Keyed by the resolved voice id; at most `capacity` prompts are kept, the least recently used dropped first (as
/// `VoicePresetCache`). Two requests that miss at the same time may both build the prompt; one is kept.
/// Thread-safe: called from compute threads.
final class RealtimePromptCache: @unchecked Sendable {
    let capacity: Int
    private let lock = NSLock()
    private var prompts: [String: RealtimeVoicePrompt] = [:]
    private var order: [String] = []
    /// Prompts built so far (misses).
    private(set) var builds = 0

    init(capacity: Int) { self.capacity = max(1, capacity) }

    /// The prompt of `voice`, built by `make` on a miss (outside the lock).
    func prompt(for voice: String, make: () throws -> RealtimeVoicePrompt) throws -> RealtimeVoicePrompt {
        if let cached = lookUp(voice) { return cached }
        let built = try make()
        lock.lock()
        defer { lock.unlock() }
        builds += 1
        if let raced = prompts[voice] { return raced }
        prompts[voice] = built
        order.append(voice)
        while order.count > capacity { prompts[order.removeFirst()] = nil }
        return built
    }

    private func lookUp(_ voice: String) -> RealtimeVoicePrompt? {
        lock.lock()
        defer { lock.unlock() }
        guard let prompt = prompts[voice] else { return nil }
        if let index = order.firstIndex(of: voice) { order.remove(at: index) }
        order.append(voice)
        return prompt
    }
}
