import Foundation
import VVComputeCUDA
import VVServer

/// How `serve` gets a GPU for `ComputeDevice.select`.
///
/// The CUDA backend has not yet run on real hardware (docs/cuda.md), so `device.backend=auto` keeps the CPU even
/// when a usable GPU is present and says so (log and `/health`); `device.backend=cuda` uses the GPU, building its
/// kernels at start so the first request does not wait for compilation.
enum ServeDevice {
    /// A maker for `backend` (`auto` or `cuda`).
    static func gpuMaker(backend: String) -> ComputeDevice.GPUMaker {
        if backend == "cuda" {
            return { gpuID in
                let cuda = try CUDABackend.load(gpuID: gpuID)
                try cuda.prepareKernels()
                return ComputeDevice(backend: cuda, kind: "cuda", details: details(cuda.device, cuda.compilerDescription))
            }
        }
        return { gpuID in
            switch CUDAProbe.probe(gpuID: gpuID) {
            case .unavailable(let reason):
                throw GPUUnavailable(description: reason)
            case .available(let device, _, _):
                throw GPUUnavailable(
                    description: "\(device.name) is usable, but the CUDA backend is experimental (not yet verified "
                        + "on a GPU): set device.backend=cuda to use it, after `vibevoice selftest`")
            }
        }
    }

    /// The GPU facts `/health` reports.
    static func details(_ device: CUDADeviceInfo, _ compiler: String) -> [String: String] {
        [
            "device": "cuda:\(device.ordinal)", "name": device.name,
            "compute_capability": "\(device.computeCapabilityMajor).\(device.computeCapabilityMinor)",
            "memory_total_bytes": String(device.totalMemory), "memory_free_bytes_at_start": String(device.freeMemory),
            "kernels": compiler,
        ]
    }

    /// Why no GPU is used, in one line.
    struct GPUUnavailable: Error, CustomStringConvertible {
        let description: String
    }
}
