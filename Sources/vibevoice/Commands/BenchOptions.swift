import ArgumentParser
import VVModelFiles

/// Weight storage type a benchmark builds its random weights in (the checkpoints hold bf16).
enum BenchWeightType: String, ExpressibleByArgument, CaseIterable, Codable {
    case bf16, f16, f32

    /// The safetensors dtype the weights are stored as.
    var dtype: SafetensorsDType {
        switch self {
        case .bf16: .bf16
        case .f16: .f16
        case .f32: .f32
        }
    }
}

/// Parses a comma-separated list of thread counts (`--threads 1,2`).
func parseThreadList(_ text: String) -> [Int] {
    text.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
}
