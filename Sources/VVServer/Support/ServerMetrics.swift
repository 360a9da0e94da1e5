import Foundation
import Prometheus

/// The Prometheus metrics of the server, exposed at `/metrics` in the text format.
public final class ServerMetrics: Sendable {
    private let registry = PrometheusCollectorRegistry()
    private static let durationBuckets: [Duration] = [
        .milliseconds(5), .milliseconds(25), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1),
        .seconds(2.5), .seconds(5), .seconds(10), .seconds(30), .seconds(60), .seconds(300),
    ]

    /// Creates an empty registry.
    public init() {}

    /// Counts a finished request and records its duration.
    func recordRequest(route: String, model: String, status: Int, duration: Duration) {
        registry.makeCounter(
            descriptor: .init(metricName: "vibevoice_http_requests", unitName: "total", helpText: "HTTP requests by route, model and status."),
            labels: [("route", route), ("model", model), ("status", String(status))]
        ).increment()
        registry.makeDurationHistogram(
            descriptor: .init(metricName: "vibevoice_http_request_duration", unitName: "seconds", helpText: "Time from request to the end of the response."),
            labels: [("route", route)], buckets: Self.durationBuckets
        ).record(duration)
    }

    /// Records how long a request waited for its model's executor.
    func recordQueueWait(model: String, duration: Duration) {
        registry.makeDurationHistogram(
            descriptor: .init(metricName: "vibevoice_queue_wait", unitName: "seconds", helpText: "Time requests waited in a model queue."),
            labels: [("model", model)], buckets: Self.durationBuckets
        ).record(duration)
    }

    /// Records how long a speech request took from the start of synthesis (its queue slot granted) to its first
    /// audio: what a streaming client waits before it can play anything.
    func recordFirstAudio(model: String, duration: Duration) {
        registry.makeDurationHistogram(
            descriptor: .init(metricName: "vibevoice_speech_first_audio", unitName: "seconds", helpText: "Time from the start of synthesis to the first audio."),
            labels: [("model", model)], buckets: Self.durationBuckets
        ).record(duration)
    }

    /// Counts seconds of speech produced (before `speed`), per model.
    func recordAudio(model: String, seconds: Double) {
        registry.makeCounter(
            descriptor: .init(metricName: "vibevoice_speech_audio", unitName: "seconds_total", helpText: "Seconds of speech generated."),
            labels: [("model", model)]
        ).increment(by: seconds)
    }

    /// Sets the per-model gauges (called at scrape time).
    func setModelGauges(model: String, queueDepth: Int, active: Int, ready: Bool) {
        registry.makeGauge(descriptor: .init(metricName: "vibevoice_queue_depth", unitName: "", helpText: "Requests waiting per model."), labels: [("model", model)])
            .set(to: Double(queueDepth))
        registry.makeGauge(descriptor: .init(metricName: "vibevoice_queue_active", unitName: "", helpText: "Requests running per model."), labels: [("model", model)])
            .set(to: Double(active))
        registry.makeGauge(descriptor: .init(metricName: "vibevoice_model_ready", unitName: "", helpText: "1 when the model is loaded and serving."), labels: [("model", model)])
            .set(to: ready ? 1.0 : 0.0)
    }

    /// The exposition text.
    func render() -> String { registry.emitToString() }
}
