import VVPipelines

/// Looks up a model's pipeline, answering 503 while it loads or after it failed.
extension ServerContext {
    func readyPipeline(_ id: ModelID) throws(APIError) -> LoadedPipeline {
        switch registry.slot(id).state {
        case .ready(let pipeline): return pipeline
        case .loading:
            throw APIError(
                status: 503, message: "The model '\(id.rawValue)' is still loading; retry shortly.", type: "server_error",
                code: "model_not_ready", retryAfter: 5)
        case .failed(let why):
            throw APIError(
                status: 503, message: "The model '\(id.rawValue)' failed to load: \(why)", type: "server_error",
                code: "model_load_failed")
        case .disabled:
            throw APIError(
                status: 404, message: "The model '\(id.rawValue)' is not enabled; set models.\(id.configKey).enabled=true.",
                param: "model", code: "model_not_found")
        }
    }

    /// Waits for a slot of `id`'s executor, giving up if the client leaves; records the wait.
    func acquireSlot(_ id: ModelID, connection: any ClientConnection) async throws -> ExecutorPermit {
        let executor = registry.slot(id).executor
        let start = ContinuousClock.now
        let permit = try await watchingClient(connection) { try await executor.acquire() }
        metrics.recordQueueWait(model: id.rawValue, duration: ContinuousClock.now - start)
        return permit
    }

    func speechSettings(_ id: ModelID) -> ServerConfiguration.SpeechModel {
        id == .tts15B ? configuration.models.tts15B : configuration.models.realtime
    }
}
