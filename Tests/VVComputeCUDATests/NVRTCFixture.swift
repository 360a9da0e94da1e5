import Foundation
import Testing
import VVComputeCUDA

/// The NVRTC the compile tests use.
///
/// `VV_NVRTC_LIBRARY`, else a pip-installed wheel in the checkout's `.venv`
/// (`nvidia-cuda-nvrtc-cu12` or the CUDA 13 `nvidia-cuda-nvrtc`), else the system's default names. When none loads,
/// the tests that need it are skipped with `skipReason` (printed once, loudly).
enum NVRTCFixture {
    /// The repository root (three levels above this file).
    static let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// pip-installed NVRTC libraries under `.venv`, CUDA 12 first.
    static var wheelLibraries: [String] {
        let lib = repositoryRoot.appendingPathComponent(".venv/lib")
        let pythons = (try? FileManager.default.contentsOfDirectory(atPath: lib.path))?.sorted() ?? []
        var found: [String] = []
        for python in pythons {
            let packages = lib.appendingPathComponent(python).appendingPathComponent("site-packages/nvidia")
            for relative in ["cuda_nvrtc/lib/libnvrtc.so.12", "cu13/lib/libnvrtc.so.13"] {
                let path = packages.appendingPathComponent(relative).path
                if FileManager.default.fileExists(atPath: path) { found.append(path) }
            }
        }
        return found
    }

    /// The candidates tried, in order.
    static var candidates: [String] {
        if let explicit = ProcessInfo.processInfo.environment["VV_NVRTC_LIBRARY"], !explicit.isEmpty {
            return [explicit]
        }
        return wheelLibraries + CUDALibraryCandidates.fromEnvironment([:]).nvrtc
    }

    /// The loaded NVRTC, or why none loaded.
    static let loaded: Result<NVRTC, any Error> = {
        let result = Result { try NVRTC.load(candidates: candidates) }
        if case .failure(let error) = result {
            print(
                "SKIPPED (NVRTC tests): \(error). Install it with `.venv/bin/pip install nvidia-cuda-nvrtc-cu12` "
                    + "or set VV_NVRTC_LIBRARY to a libnvrtc path.")
        }
        return result
    }()

    /// The NVRTC, when one loaded.
    static var nvrtc: NVRTC? { try? loaded.get() }

    /// True when an NVRTC loaded.
    static var available: Bool { nvrtc != nil }

    /// Every loadable NVRTC among the wheel libraries and `VV_NVRTC_LIBRARY` (to compile with 12 and 13 both).
    static let all: [NVRTC] = {
        var paths = wheelLibraries
        if let explicit = ProcessInfo.processInfo.environment["VV_NVRTC_LIBRARY"], !explicit.isEmpty {
            paths.insert(explicit, at: 0)
        }
        var seen = Set<String>()
        var loaded: [NVRTC] = []
        for path in paths where seen.insert(path).inserted {
            if let nvrtc = try? NVRTC.load(candidates: [path]) { loaded.append(nvrtc) }
        }
        if loaded.isEmpty, let nvrtc { loaded.append(nvrtc) }
        return loaded
    }()
}
