import ArgumentParser
import Foundation
import VVCompute
import VVComputeCPU
import VVComputeCUDA

/// `vibevoice selftest`: runs every CUDA kernel against the CPU backend on random inputs at the real model shapes
/// and prints one line per op; exits non-zero when any op is outside its bounds or no GPU can be used.
struct Selftest: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "selftest",
        abstract: "Check every CUDA kernel against the CPU backend on this machine's GPU.",
        discussion: """
            Needs the NVIDIA driver (CUDA 12.0 or newer when no NVRTC is installed). With NVRTC (libnvrtc /
            nvrtc64_*.dll, or VV_NVRTC_LIBRARY naming one) kernels are compiled for the GPU on first use and cached
            (VV_CUDA_CACHE_DIR); without it the embedded PTX is JIT-compiled by the driver. Each op runs on both backends with the
            same random inputs at VibeVoice-Realtime-0.5B shapes; it passes with cosine ≥ 0.999 and a max-abs
            difference within the bound printed on its line. Exit status: 0 all ops pass; 1 an op failed or CUDA is
            unavailable (the reason is printed on one line).
            """)

    /// The CUDA device to test (`device.gpu_id`).
    @Option(name: .customLong("gpu-id"), help: "CUDA device index (device.gpu_id).")
    var gpuID = 0

    /// Run only the ops whose name contains this text.
    @Option(name: .long, help: "Only the ops whose name contains this text (e.g. attention).")
    var only: String?

    func run() async throws {
        let availability = CUDAProbe.probe(gpuID: gpuID)
        guard case .available(let device, let compiler, let target) = availability else {
            throw SelftestFailure("selftest needs a usable CUDA GPU: \(availability.reason ?? "unknown reason")")
        }
        print("device: \(device)")
        print("kernels for \(target) from \(compiler)")
        let backend = try CUDABackend.load(gpuID: gpuID)
        let started = Date()
        try backend.prepareKernels()
        var origin = "embedded PTX"
        if let compiler = backend.kernelCompiler {
            let counts = compiler.statistics
            origin = "\(counts.misses) compiled, \(counts.hits) from the cache \(compiler.cache?.directory ?? "(none)")"
        }
        print("kernels ready in \(Int(Date().timeIntervalSince(started) * 1000)) ms (\(origin))")
        let results = BackendSelfTest.run(candidate: backend, reference: CPUBackend(), filter: only) { result in
            print(result)
        }
        let failed = results.filter { !$0.passed }.count
        print("\(results.count - failed)/\(results.count) ops within bounds")
        if results.isEmpty { throw SelftestFailure("no op matches --only \(only ?? "")") }
        if failed > 0 {
            throw SelftestFailure("\(failed) of \(results.count) ops differ from the CPU backend beyond their bounds")
        }
    }
}

/// A self-test failure, printed as one line on stderr with a non-zero exit.
struct SelftestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = message }
}
