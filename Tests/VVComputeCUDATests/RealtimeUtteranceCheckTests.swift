import Foundation
import Testing
import VVCompute
import VVComputeCPU
import VVModelFiles
import VVModels

@testable import VVComputeCUDA

/// The whole-utterance half of `vibevoice selftest` (`RealtimeUtteranceCheck`) on the tiny realtime fixture: the CPU
/// against itself passes exactly, a backend with one wrong element per RMSNorm fails, and the CUDA backend on the
/// stand-in driver passes with its graph and op-by-op runs identical.
@Suite("Realtime utterance check (selftest)", .serialized)
struct RealtimeUtteranceCheckTests {
    static func tiny() throws -> (VibeVoiceStreamingConfig, any TensorSource, VoicePreset) {
        let folder = CUDAParity.fixture("realtime_tiny")
        guard case .realtime(let config) = try ModelConfig.load(path: folder + "/config.json") else {
            throw ModelError.invalidInput(module: "test", reason: "the fixture is not a realtime config")
        }
        let preset = try VoicePreset(
            contentsOf: URL(fileURLWithPath: folder + "/voice.pt"), shape: VoicePresetShape(config: config))
        return (config, try SafetensorsCheckpoint(path: folder), preset)
    }

    @Test func theCPUAgainstItselfPassesExactly() throws {
        let (config, source, preset) = try Self.tiny()
        let result = try RealtimeUtteranceCheck.run(
            config: config, source: source, preset: preset, candidate: CPUBackend(), reference: CPUBackend(),
            frames: 8)
        #expect(result.passed, "\(result)")
        #expect(result.latentMaxAbs == 0 && result.audioMaxAbs == 0)
        #expect(result.candidateFrames == 8 && result.graphsMatchEager == nil)
        #expect(result.description.hasPrefix("PASS realtime utterance, 8 frames"))
    }

    @Test func aWrongNormFailsIt() throws {
        let (config, source, preset) = try Self.tiny()
        let result = try RealtimeUtteranceCheck.run(
            config: config, source: source, preset: preset,
            candidate: FaultyBackend(base: CPUBackend(), rmsNormError: 0.05), reference: CPUBackend(), frames: 8)
        #expect(!result.passed, "\(result)")
        #expect(result.description.hasPrefix("FAIL"))
    }

    @Test(.enabled(if: FakeDriver.path != nil, "VV_FAKE_CUDA_DRIVER not set (see the SKIPPED line)"))
    func theCUDABackendPassesWithGraphsEqualToOpByOp() throws {
        let (config, source, preset) = try Self.tiny()
        let cuda = try CUDABackend.load(
            libraries: FakeDriver.libraries(nvrtc: ["/nonexistent/libnvrtc.so.12"]), cacheDirectory: nil)
        let result = try RealtimeUtteranceCheck.run(
            config: config, source: source, preset: preset, candidate: cuda, reference: CPUBackend(), frames: 8)
        #expect(result.passed, "\(result)")
        #expect(result.graphsMatchEager == true)
    }
}
