import Testing
import VVCompute

private struct Unavailable: Error, CustomStringConvertible {
    var description: String { "libcuda.so.1 not found" }
}

struct BackendRegistryTests {
    @Test func fallsBackAndLogsWhyWhenNothingLoads() {
        var registry = BackendRegistry()
        registry.register(.init(name: "cuda", priority: 10) { throw Unavailable() })
        var lines: [String] = []
        do {
            _ = try registry.makeBackend { lines.append($0) }
            Issue.record("expected no backend")
        } catch let error as ComputeError {
            #expect(error == .noBackend(reasons: ["cuda: libcuda.so.1 not found"]))
        } catch {
            Issue.record("wrong error \(error)")
        }
        #expect(lines == ["compute backend 'cuda' unavailable: libcuda.so.1 not found"])
        #expect(throws: ComputeError.self) { try registry.makeBackend(preferred: "metal") }
    }
}
