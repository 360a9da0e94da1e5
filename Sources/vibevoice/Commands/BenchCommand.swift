import ArgumentParser

/// `vibevoice bench`: speed and memory at real shapes, side by side with the Python reference where one exists.
struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure speed and memory (benchmarks, not tests).",
        subcommands: [AudioBenchCommand.self, BenchTokenizer.self]
    )
}
