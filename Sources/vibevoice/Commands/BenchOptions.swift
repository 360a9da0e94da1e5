import ArgumentParser
import Foundation
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

/// Throws unless `--threads` lists only positive counts.
func validateThreadList(_ list: [Int]) throws {
    guard !list.isEmpty, list.allSatisfy({ $0 > 0 }) else {
        throw ValidationError("--threads must list positive integers")
    }
}

/// Prints a benchmark's figures: one JSON object with sorted keys for `--json`, else its readable table.
func printBenchReport<Report: Encodable>(_ report: Report, json: Bool, table: () -> String) throws {
    if json {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        print(String(decoding: try encoder.encode(report), as: UTF8.self))
    } else {
        print(table())
    }
}

/// The compute backend a benchmark runs on.
enum BenchBackend: String, ExpressibleByArgument, CaseIterable, Codable {
    case cpu, cuda
}

/// Whether a CUDA benchmark records its per-frame steps as graphs.
enum GraphsChoice: String, ExpressibleByArgument, CaseIterable {
    case on, off, both

    /// The `capturesGraphs` settings to measure, in order.
    var settings: [Bool] {
        switch self {
        case .on: [true]
        case .off: [false]
        case .both: [true, false]
        }
    }
}
