import Foundation
import Testing

@testable import VVComputeCUDA

/// Every kernel family compiles with NVRTC for the oldest and the newest architecture each available NVRTC
/// supports (no GPU needed); skipped, with the reason printed, when no NVRTC library can be loaded.
@Suite(
    "CUDA kernels compile with NVRTC", .enabled(if: NVRTCFixture.available, "no NVRTC library (see the SKIPPED line)"))
struct KernelCompileTests {
    @Test func nvrtcReportsItsVersionAndArchitectures() throws {
        let nvrtc = try #require(NVRTCFixture.nvrtc)
        for each in NVRTCFixture.all {
            print("NVRTC \(each.versionText) from \(each.path): architectures \(each.supportedArchitectures)")
        }
        #expect(nvrtc.major >= 11)
        #expect(nvrtc.supportedArchitectures.contains(80) || nvrtc.supportedArchitectures.contains(90))
        #expect(nvrtc.supportedArchitectures == nvrtc.supportedArchitectures.sorted())
    }

    @Test(arguments: CUDAKernelFamily.allCases)
    func familyCompilesToPTXForOldestAndNewestArchitecture(_ family: CUDAKernelFamily) throws {
        for nvrtc in NVRTCFixture.all {
            let oldest = try #require(nvrtc.supportedArchitectures.first)
            for architecture in Set([oldest, nvrtc.supportedArchitectures.last ?? oldest]).sorted() {
                let ptx = try nvrtc.compile(
                    source: family.source, name: family.fileName, target: .ptx(architecture: architecture),
                    options: KernelCompiler.options)
                let text = String(decoding: ptx, as: UTF8.self)
                #expect(text.contains(".target sm_\(architecture)"), "NVRTC \(nvrtc.versionText) \(family)")
                for entry in family.entryPoints {
                    #expect(
                        text.contains(".entry \(entry)("),
                        "\(entry) missing from \(family) PTX, NVRTC \(nvrtc.versionText) sm_\(architecture)")
                }
            }
        }
    }

    @Test func cubinForTheNewestArchitectureIsAnELFImage() throws {
        let nvrtc = try #require(NVRTCFixture.nvrtc)
        let newest = try #require(nvrtc.supportedArchitectures.last)
        let cubin = try nvrtc.compile(
            source: CUDAKernelFamily.norm.source, name: "norm.cu", target: .cubin(architecture: newest),
            options: KernelCompiler.options)
        #expect(Array(cubin.prefix(4)) == [0x7F, 0x45, 0x4C, 0x46])
    }

    @Test func aBrokenSourceFailsWithTheCompilerLog() throws {
        let nvrtc = try #require(NVRTCFixture.nvrtc)
        let target = KernelTarget.ptx(architecture: try #require(nvrtc.supportedArchitectures.last))
        do {
            _ = try nvrtc.compile(
                source: "extern \"C\" __global__ void f() { undefined_name(); }", name: "broken.cu", target: target)
            Issue.record("a broken source compiled")
        } catch let CUDAError.compilationFailed(kernel, failedTarget, log) {
            #expect(kernel == "broken.cu")
            #expect(failedTarget == target.description)
            #expect(log.contains("undefined_name"))
        }
    }

    @Test func targetChoiceFollowsTheDeviceArchitecture() throws {
        let nvrtc = try #require(NVRTCFixture.nvrtc)
        let archs = nvrtc.supportedArchitectures
        let (oldest, newest) = (try #require(archs.first), try #require(archs.last))
        #expect(nvrtc.target(forDevice: newest) == .cubin(architecture: newest))
        #expect(nvrtc.target(forDevice: newest + 10) == .ptx(architecture: newest))
        #expect(nvrtc.target(forDevice: oldest - 1) == nil)
    }
}
