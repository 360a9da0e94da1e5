import Testing

@testable import VVComputeCUDA

/// The PTX embedded for driver-only machines: built from exactly this build's kernel sources, with every entry point,
/// by NVRTC 12.0 for compute_50 (loadable by CUDA 12.0+ drivers on Maxwell and newer).
@Suite("Embedded PTX")
struct EmbeddedPTXTests {
    @Test func everyFamilyMatchesItsSourceAndHasEveryEntryPoint() throws {
        #expect(Set(KernelPTX.families.keys) == Set(CUDAKernelFamily.allCases.map(\.fileName)))
        for family in CUDAKernelFamily.allCases {
            let ptx = String(decoding: try EmbeddedPTX.image(family), as: UTF8.self)
            #expect(ptx.contains(".version 8.0\n"), "\(family) PTX ISA is not 8.0")
            #expect(ptx.contains(".target sm_50\n"), "\(family) PTX does not target sm_50")
            for entry in family.entryPoints {
                #expect(ptx.contains(".entry \(entry)("), "\(entry) missing from the embedded PTX")
            }
        }
    }

    @Test func builtWithTheCompilerOptionsByNVRTC12_0() {
        #expect(KernelPTX.options == KernelCompiler.options)
        #expect(KernelPTX.nvrtcVersion == "12.0")
        #expect(EmbeddedPTX.minimumDriverVersion == 12000)
        #expect(EmbeddedPTX.target == .ptx(architecture: 50))
    }

    @Test func olderDriversAreRejectedWithAReason() {
        #expect(EmbeddedPTX.rejection(driverVersion: 12000, deviceArchitecture: 50) == nil)
        #expect(EmbeddedPTX.rejection(driverVersion: 12080, deviceArchitecture: 90) == nil)
        #expect(
            EmbeddedPTX.rejection(driverVersion: 11080, deviceArchitecture: 86)
                == "the embedded PTX needs a CUDA 12.0 driver, this one supports 11.8")
    }
}
