import Foundation
import Testing
import VVPlatform

@testable import VVComputeCUDA

/// A symbol source that records what was asked for and answers only for `exported` names.
final class RecordingSymbols: SymbolSource {
    let path = "fake-library.so"
    let exported: Set<String>
    private(set) var requested: [String] = []
    private let dummy = UnsafeMutableRawPointer.allocate(byteCount: 8, alignment: 8)

    init(exporting names: [String]) { exported = Set(names) }

    deinit { dummy.deallocate() }

    func symbol(_ name: String) -> UnsafeMutableRawPointer? {
        requested.append(name)
        return exported.contains(name) ? dummy : nil
    }
}

@Suite("CUDA runtime loading")
struct CUDALoadingTests {
    private let nowhere = CUDALibraryCandidates(
        driver: ["/nonexistent/libcuda.so.1"], nvrtc: ["/nonexistent/libnvrtc.so.12"], cublas: [])

    @Test func missingDriverGivesOneLineReasonNamingTheLibrary() {
        let availability = CUDAProbe.probe(libraries: nowhere)
        let reason = availability.reason ?? ""
        #expect(reason.hasPrefix("NVIDIA driver library not found (tried /nonexistent/libcuda.so.1: "))
        #expect(!reason.contains("\n"))
        #expect(availability.description == "CUDA unavailable: " + reason)
    }

    @Test func defaultProbeWithoutDriverNamesEveryDefaultCandidate() throws {
        let defaults = CUDALibraryCandidates.fromEnvironment([:])
        if case .success = DynamicLibrary.open(defaults.driver) {
            print("SKIPPED defaultProbeWithoutDriverNamesEveryDefaultCandidate: an NVIDIA driver is installed here")
            return
        }
        let reason = try #require(CUDAProbe.probe(libraries: defaults).reason)
        #expect(reason.hasPrefix("NVIDIA driver library not found (tried libcuda.so.1: "))
        #expect(reason.contains("; libcuda.so: "))
        #expect(!reason.contains("\n"))
    }

    @Test func missingNVRTCListsEveryCandidateInOrder() {
        #expect(throws: CUDALoadError.self) { try NVRTC.load(candidates: ["/none/a.so", "/none/b.so"]) }
        do {
            _ = try NVRTC.load(candidates: ["/none/a.so", "/none/b.so"])
        } catch {
            let text = "\(error)"
            #expect(text.hasPrefix("NVRTC library not found (tried /none/a.so: "))
            let a = text.range(of: "/none/a.so")?.lowerBound, b = text.range(of: "; /none/b.so: ")?.lowerBound
            #expect(a != nil && b != nil && a! < b!)
        }
    }

    @Test func aLibraryThatIsNotNVRTCIsRejectedByItsFirstMissingFunction() throws {
        let libm = "libm.so.6"
        guard case .success = DynamicLibrary.open([libm]) else {
            print("SKIPPED aLibraryThatIsNotNVRTCIsRejectedByItsFirstMissingFunction: no libm.so.6 here")
            return
        }
        #expect(throws: CUDALoadError.symbolMissing(library: "NVRTC", path: libm, symbol: "nvrtcVersion")) {
            try NVRTC.load(candidates: [libm])
        }
        #expect(
            "\(CUDALoadError.symbolMissing(library: "NVRTC", path: libm, symbol: "nvrtcVersion"))"
                == "NVRTC at libm.so.6 lacks the function nvrtcVersion (library too old?)")
    }

    @Test func driverTableResolvesTheVersionedNames() throws {
        let symbols = RecordingSymbols(exporting: CUDADriverAPI.symbolNames)
        _ = try CUDADriverAPI(symbols)
        for versioned in [
            "cuMemAlloc_v2", "cuMemFree_v2", "cuMemGetInfo_v2", "cuDeviceTotalMem_v2", "cuMemcpyHtoDAsync_v2",
            "cuMemcpyDtoHAsync_v2", "cuMemcpyDtoDAsync_v2", "cuStreamDestroy_v2", "cuDevicePrimaryCtxRelease_v2",
        ] {
            #expect(symbols.requested.contains(versioned), "\(versioned) not resolved")
        }
        for legacy in [
            "cuMemAlloc", "cuMemFree", "cuMemGetInfo", "cuDeviceTotalMem", "cuMemcpyHtoD", "cuStreamDestroy",
        ] {
            #expect(!symbols.requested.contains(legacy), "legacy 32-bit ABI name \(legacy) resolved")
        }
        #expect(symbols.requested == CUDADriverAPI.symbolNames)
    }

    @Test func driverTableNamesTheFirstMissingVersionedSymbol() {
        let symbols = RecordingSymbols(
            exporting: CUDADriverAPI.symbolNames.filter { $0 != "cuMemAlloc_v2" } + ["cuMemAlloc"])
        #expect(
            throws: CUDALoadError.symbolMissing(
                library: "CUDA driver", path: "fake-library.so", symbol: "cuMemAlloc_v2")
        ) {
            try CUDADriverAPI(symbols)
        }
    }

    @Test func graphTableResolvesTheCaptureModeBeginAndTheCUDA12Instantiate() throws {
        let symbols = RecordingSymbols(exporting: CUDAGraphAPI.symbolNames)
        _ = try CUDAGraphAPI(symbols)
        #expect(symbols.requested == CUDAGraphAPI.symbolNames)
        #expect(symbols.requested.contains("cuStreamBeginCapture_v2"))
        #expect(!symbols.requested.contains("cuStreamBeginCapture"))
        #expect(symbols.requested.contains("cuGraphInstantiateWithFlags"))
        // A CUDA 11.2 driver exports the old names only: no graph table, so every op runs eagerly.
        let old = RecordingSymbols(
            exporting: ["cuStreamBeginCapture", "cuStreamEndCapture", "cuGraphInstantiate", "cuGraphLaunch"])
        #expect(
            throws: CUDALoadError.symbolMissing(
                library: "CUDA driver", path: "fake-library.so", symbol: "cuStreamBeginCapture_v2")
        ) {
            try CUDAGraphAPI(old)
        }
    }

    @Test func cublasTableResolvesTheV2Names() throws {
        let symbols = RecordingSymbols(exporting: CUBLASAPI.symbolNames)
        _ = try CUBLASAPI(symbols)
        #expect(symbols.requested.contains("cublasCreate_v2"))
        #expect(symbols.requested.contains("cublasSetStream_v2"))
        #expect(!symbols.requested.contains("cublasCreate"))
        let old = RecordingSymbols(exporting: ["cublasCreate", "cublasDestroy"])
        #expect(
            throws: CUDALoadError.symbolMissing(library: "cuBLAS", path: "fake-library.so", symbol: "cublasCreate_v2")
        ) {
            try CUBLASAPI(old)
        }
    }

    @Test func candidateOrderIsNewestMajorFirstAndTheEnvironmentOverrides() {
        #if os(Linux)
            let defaults = CUDALibraryCandidates.fromEnvironment([:])
            #expect(defaults.driver == ["libcuda.so.1", "libcuda.so"])
            #expect(Array(defaults.nvrtc.prefix(3)) == ["libnvrtc.so.13", "libnvrtc.so.12", "libnvrtc.so.11.2"])
            #expect(Array(defaults.cublas.prefix(3)) == ["libcublas.so.13", "libcublas.so.12", "libcublas.so.11"])
        #endif
        let overridden = CUDALibraryCandidates.fromEnvironment([
            "VV_NVRTC_LIBRARY": "/opt/x/libnvrtc.so.12", "VV_CUDA_DRIVER_LIBRARY": "/opt/y/libcuda.so.1",
            "VV_CUBLAS_LIBRARY": "/opt/z/libcublas.so.12",
        ])
        #expect(overridden.nvrtc == ["/opt/x/libnvrtc.so.12"])
        #expect(overridden.driver == ["/opt/y/libcuda.so.1"])
        #expect(overridden.cublas == ["/opt/z/libcublas.so.12"])
    }

    @Test func nvrtcNewerThanTheDriverOrTooNewForTheDeviceIsRejected() {
        let archs13 = [75, 80, 86, 89, 90, 100, 120]
        #expect(
            CUDAProbe.nvrtcRejection(13, archs13, driverVersion: 12040, deviceArchitecture: 89)
                == "NVRTC 13 is newer than the driver's CUDA 12.4")
        #expect(
            CUDAProbe.nvrtcRejection(13, archs13, driverVersion: 13000, deviceArchitecture: 61)
                == "NVRTC 13 supports sm_75 and newer, the device is sm_61")
        #expect(CUDAProbe.nvrtcRejection(12, [50, 90], driverVersion: 13000, deviceArchitecture: 61) == nil)
    }

    @Test func loadErrorsDescribeThemselvesInOneLine() {
        let cases: [(CUDALoadError, String)] = [
            (.noDevice, "the NVIDIA driver reports no CUDA device"),
            (.deviceOutOfRange(requested: 2, count: 1), "device.gpu_id 2 is out of range: 1 CUDA device(s) found"),
            (
                .computeCapabilityTooOld(
                    device: "cuda:0 Tesla K80", major: 3, minor: 7, minimumMajor: 5, minimumMinor: 0),
                "cuda:0 Tesla K80 has compute capability 3.7; at least 5.0 is needed"
            ),
            (
                .driverTooOld(version: 11010, minimum: 11020),
                "the NVIDIA driver supports CUDA 11.1; at least 11.2 is needed"
            ),
            (
                .callFailed(call: "cuInit", code: 999, name: "CUDA_ERROR_UNKNOWN"),
                "cuInit failed: CUDA_ERROR_UNKNOWN (999)"
            ),
        ]
        for (error, text) in cases { #expect("\(error)" == text) }
    }

    @Test func deviceInfoDescribesItselfInOneLine() {
        let info = CUDADeviceInfo(
            ordinal: 0, deviceCount: 1, name: "NVIDIA H100 80GB HBM3", computeCapabilityMajor: 9,
            computeCapabilityMinor: 0, multiprocessors: 132, totalMemory: 85_031_714_816, freeMemory: 84_365_312_000,
            driverVersion: 12040)
        #expect(info.architecture == 90)
        #expect("\(info)" == "cuda:0 NVIDIA H100 80GB HBM3 (sm_90, 132 SMs, 79.2 GiB, 78.6 GiB free, driver CUDA 12.4)")
    }
}
