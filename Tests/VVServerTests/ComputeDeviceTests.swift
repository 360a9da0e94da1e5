import Foundation
import Testing
import VVComputeCPU

@testable import VVServer

/// `device.*` chooses the backend once at start: the CPU with the configured threads, a GPU when one is usable, a
/// logged reason when `auto` falls back, and a start-up error when `cuda` is demanded but cannot be had.
@Suite struct ComputeDeviceTests {
    struct NoGPU: Error, CustomStringConvertible { var description: String { "no NVIDIA driver (libcuda.so.1 not found)" } }

    static func device(_ backend: String, threads: Int = 0) -> ServerConfiguration.Device {
        var d = ServerConfiguration().device
        d.backend = backend
        d.threads = threads
        return d
    }

    @Test func cpuHonoursThreads() throws {
        let chosen = try ComputeDevice.select(Self.device("cpu", threads: 1), gpu: { _ in throw NoGPU() })
        #expect(chosen.kind == "cpu" && chosen.details["threads"] == "1" && chosen.fallbackReason == nil)
        #expect((chosen.backend as? CPUBackend)?.threadCount == 1)
        let all = try ComputeDevice.select(Self.device("cpu"), gpu: nil)
        #expect(all.details["threads"] == String(ProcessInfo.processInfo.activeProcessorCount))
    }

    @Test func autoFallsBackWithTheReason() throws {
        let chosen = try ComputeDevice.select(Self.device("auto", threads: 2), gpu: { _ in throw NoGPU() })
        #expect(chosen.kind == "cpu" && chosen.details["threads"] == "2")
        #expect(chosen.fallbackReason == "no NVIDIA driver (libcuda.so.1 not found)")
        #expect(chosen.summary.contains("no GPU: no NVIDIA driver"))
        // No GPU support in the build: plainly the CPU, no reason to report.
        #expect(try ComputeDevice.select(Self.device("auto"), gpu: nil).fallbackReason == nil)
    }

    @Test func autoTakesAUsableGPU() throws {
        let gpu = ComputeDevice(backend: CPUBackend(threads: 1), kind: "cuda", details: ["name": "Test GPU"])
        var config = Self.device("auto")
        config.gpuID = 3
        let chosen = try ComputeDevice.select(config) { id in
            guard id == 3 else { throw NoGPU() }
            return gpu
        }
        #expect(chosen.kind == "cuda" && chosen.details["name"] == "Test GPU")
    }

    @Test func cudaDemandedButUnavailableStopsTheStart() {
        #expect(throws: ServerStartError.self) { try ComputeDevice.select(Self.device("cuda"), gpu: nil) }
        do {
            _ = try ComputeDevice.select(Self.device("cuda"), gpu: { _ in throw NoGPU() })
            Issue.record("expected an error")
        } catch {
            #expect("\(error)" == "device.backend is cuda but the GPU cannot be used: no NVIDIA driver (libcuda.so.1 not found)")
        }
    }

    @Test func healthReportsTheDevice() async throws {
        let device = try ComputeDevice.select(Self.device("auto", threads: 1), gpu: { _ in throw NoGPU() })
        let t = await TestAPI(device: device)
        let r = await t.send("GET", "/health")
        let body = try #require(try JSONSerialization.jsonObject(with: Data(r.body)) as? [String: Any])
        let reported = try #require(body["device"] as? [String: Any])
        #expect(reported["backend"] as? String == "cpu" && reported["threads"] as? String == "1")
        #expect(reported["gpu_unavailable"] as? String == "no NVIDIA driver (libcuda.so.1 not found)")
    }
}
