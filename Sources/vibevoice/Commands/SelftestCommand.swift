import ArgumentParser
import Foundation
import VVCompute
import VVComputeCPU
import VVComputeCUDA
import VVModels
import VVPlatform

/// `vibevoice selftest`: runs every CUDA kernel against the CPU backend on random inputs at the real model shapes
/// and prints one line per op, then a whole realtime utterance on both; exits non-zero when anything is outside its
/// bounds or no GPU can be used.
struct Selftest: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "selftest",
        abstract: "Check every CUDA kernel against the CPU backend on this machine's GPU.",
        discussion: """
            Needs the NVIDIA driver (CUDA 12.0 or newer when no NVRTC is installed). With NVRTC (libnvrtc /
            nvrtc64_*.dll, or VV_NVRTC_LIBRARY naming one) kernels are compiled for the GPU on first use and cached
            (VV_CUDA_CACHE_DIR); without it the embedded PTX is JIT-compiled by the driver. Each op runs on both backends with the
            same random inputs at VibeVoice-Realtime-0.5B shapes; it passes with cosine ≥ 0.999 and a max-abs
            difference within the bound printed on its line. Then one realtime utterance (VibeVoice-Realtime-0.5B \
            shapes, random bf16 weights, a random 60/183-position voice prompt, the same injected noise, \
            --utterance-frames frames) runs on the GPU — with its per-frame steps recorded as CUDA graphs, and again \
            op by op — and on the CPU: latents and audio must reach cosine ≥ 0.999 and max-abs ≤ 1e-3 of the \
            CPU's peak, and the two GPU runs must be identical. Exit status: 0 all pass; 1 a check failed or CUDA \
            is unavailable (the reason is printed on one line).
            """)

    /// The CUDA device to test (`device.gpu_id`).
    @Option(name: .customLong("gpu-id"), help: "CUDA device index (device.gpu_id).")
    var gpuID = 0

    /// Run only the ops whose name contains this text.
    @Option(name: .long, help: "Only the ops whose name contains this text (e.g. attention).")
    var only: String?

    /// Frames of the whole-utterance check (0 skips it; so does --only).
    @Option(help: "Frames of the realtime utterance compared with the CPU (0 skips it; so does --only).")
    var utteranceFrames = 12

    func validate() throws {
        guard utteranceFrames >= 0 else { throw ValidationError("--utterance-frames must be 0 or more") }
    }

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
        var utterancePassed = true
        if only == nil && utteranceFrames > 0 {
            let clock = Stopwatch()
            let config = try BenchTTS.realtime05BConfig()
            let check = try RealtimeUtteranceCheck.run(
                config: config, source: RealtimeRandomWeights.make(config: config, scale: RealtimeUtteranceCheck.weightScale),
                preset: RealtimeRandomWeights.preset(config: config), candidate: backend,
                reference: CPUBackend(), frames: utteranceFrames)
            print(check.description + String(format: " (%.1f s)", clock.seconds))
            utterancePassed = check.passed
        }
        if failed > 0 {
            throw SelftestFailure("\(failed) of \(results.count) ops differ from the CPU backend beyond their bounds")
        }
        if !utterancePassed {
            throw SelftestFailure("the realtime utterance on the GPU differs from the CPU's beyond its bounds")
        }
    }
}

/// A self-test failure, printed as one line on stderr with a non-zero exit.
struct SelftestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = message }
}
