import VVCompute
import VVComputeCPU

/// The compute backend the model engines run on, chosen once at start from `device.*`, and what `/health` and the
/// start-up log say about it.
public struct ComputeDevice: Sendable {
    /// The backend every engine shares.
    public let backend: any ComputeBackend
    /// `"cpu"` or `"cuda"`.
    public let kind: String
    /// Facts for `/health` (threads and kernels, or the GPU's name, capability and memory).
    public let details: [String: String]
    /// Why a GPU was not used when `device.backend` is `auto` (nil when none was expected or it was used).
    public let fallbackReason: String?

    /// Creates a record.
    public init(backend: any ComputeBackend, kind: String, details: [String: String], fallbackReason: String? = nil) {
        self.backend = backend
        self.kind = kind
        self.details = details
        self.fallbackReason = fallbackReason
    }

    /// The CPU backend with `threads` threads (0 = every core).
    public static func cpu(threads: Int, fallbackReason: String? = nil) -> ComputeDevice {
        let backend = CPUBackend(threads: threads > 0 ? threads : nil)
        return ComputeDevice(
            backend: backend, kind: "cpu",
            details: ["threads": String(backend.threadCount), "kernels": CPUBackend.ISA.detected.description],
            fallbackReason: fallbackReason)
    }

    /// A GPU backend maker: returns the device or throws an error whose description is the one-line reason.
    public typealias GPUMaker = @Sendable (_ gpuID: Int) throws -> ComputeDevice

    /// Chooses per `device.backend`: `cpu`; `cuda` (a GPU or a start-up error naming why not); `auto` (a GPU when
    /// `gpu` yields one, else the CPU with the reason kept for the log and `/health`).
    /// - Throws: `ServerStartError` when `cuda` is demanded and unavailable.
    public static func select(_ device: ServerConfiguration.Device, gpu: GPUMaker?) throws -> ComputeDevice {
        switch device.backend {
        case "cpu":
            return .cpu(threads: device.threads)
        case "cuda":
            guard let gpu else {
                throw ServerStartError("device.backend is cuda but this build has no CUDA backend")
            }
            do {
                return try gpu(device.gpuID)
            } catch {
                throw ServerStartError("device.backend is cuda but the GPU cannot be used: \(error)")
            }
        default:
            guard let gpu else { return .cpu(threads: device.threads) }
            do {
                return try gpu(device.gpuID)
            } catch {
                return .cpu(threads: device.threads, fallbackReason: "\(error)")
            }
        }
    }

    /// One line for the start-up log.
    public var summary: String {
        let facts = details.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        let why = fallbackReason.map { " (no GPU: \($0))" } ?? ""
        return "compute: \(kind) (\(facts))\(why)"
    }
}

/// The server cannot start as configured; the description is the one-line reason.
public struct ServerStartError: Error, Sendable, CustomStringConvertible {
    /// The reason.
    public let description: String

    /// Creates an error.
    public init(_ description: String) { self.description = description }
}
