import Foundation
import Testing
import VVCompute
import VVComputeCPU
import VVModelFiles

/// Kernel levels to test: always the portable one, plus AVX2 when this machine has it.
let isaLevels: [CPUBackend.ISA] = CPUBackend.ISA.detected == .avx2 ? [.scalar, .avx2] : [.scalar]

/// Path of a committed fixture.
func fixturePath(_ name: String, file: String = #filePath) -> String {
    URL(fileURLWithPath: file).deletingLastPathComponent().appendingPathComponent("Fixtures/\(name)").path
}

/// A fixture trace: named tensors from the Python reference.
struct Trace {
    let file: SafetensorsFile

    init(_ name: String) throws { file = try SafetensorsFile(path: fixturePath(name)) }

    func floats(_ name: String) throws -> [Float] {
        guard let view = file.tensor(named: name) else { throw FixtureMissing(name: name) }
        return try view.floats()
    }

    func ints(_ name: String) throws -> [Int32] {
        guard let view = file.tensor(named: name) else { throw FixtureMissing(name: name) }
        return try view.integers().map { Int32($0) }
    }

    func shape(_ name: String) throws -> [Int] {
        guard let view = file.tensor(named: name) else { throw FixtureMissing(name: name) }
        return view.shape
    }

    func upload(_ name: String, _ ctx: ComputeContext) throws -> Tensor {
        try ctx.upload(floats(name), shape: Shape(shape(name)))
    }
}

struct FixtureMissing: Error, CustomStringConvertible {
    let name: String
    var description: String { "fixture tensor '\(name)' is missing" }
}

/// fp32 CPU vs fp32 reference: max-abs ≤ 1e-4, scaled by the largest magnitude when that exceeds 1 (DESIGN.md
/// "Fidelity testing"). Returns the measured error; `VV_PRINT_ERRORS=1` prints each one.
@discardableResult
func expectMatches(
    _ actual: [Float], _ expected: [Float], _ label: String, tolerance: Float = 1e-4,
    sourceLocation: SourceLocation = #_sourceLocation
) -> Float {
    #expect(actual.count == expected.count, "\(label): \(actual.count) values vs \(expected.count)", sourceLocation: sourceLocation)
    let scale = max(1, expected.map { abs($0) }.max() ?? 1)
    let worst = zip(actual, expected).map { abs($0 - $1) }.max() ?? .infinity
    if ProcessInfo.processInfo.environment["VV_PRINT_ERRORS"] != nil { print("max-abs \(worst) (scale \(scale)) \(label)") }
    #expect(worst <= tolerance * scale, "\(label): max-abs \(worst) > \(tolerance) × \(scale)", sourceLocation: sourceLocation)
    return worst
}
