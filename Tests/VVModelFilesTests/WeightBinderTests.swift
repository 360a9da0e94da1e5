import Testing
import VVModelFiles

struct WeightBinderTests {
    private func source() -> InMemoryTensors {
        let tensors = InMemoryTensors()
        tensors.add("a.weight", floats: [1, 2, 3, 4], shape: [2, 2])
        tensors.add("a.bias", floats: [1, 2], shape: [2], dtype: .bf16)
        tensors.add("b.weight", floats: [1, 2, 3], shape: [3])
        tensors.add("extra.one", floats: [0], shape: [1])
        tensors.add("skipped.x", floats: [0], shape: [1])
        tensors.add("ids", dtype: .i64, shape: [1]) { $0.storeBytes(of: Int64(3), as: Int64.self) }
        return tensors
    }

    @Test func cleanBindingSucceeds() throws {
        let tensors = InMemoryTensors()
        tensors.add("a.weight", floats: [1, 2, 3, 4], shape: [2, 2])
        let binder = WeightBinder(source: tensors)
        let view = try #require(binder.take("a.weight", shape: [2, 2]))
        #expect(try view.floats() == [1, 2, 3, 4])
        #expect(binder.takeIfPresent("nothing", shape: [1]) == nil)
        try binder.finish()
    }

    @Test func reportsEveryProblemByName() throws {
        let binder = WeightBinder(source: source())
        binder.ignore(prefix: "skipped.")
        #expect(binder.take("a.weight", shape: [2, 2]) != nil)
        #expect(binder.take("a.bias", shape: [2]) != nil)
        #expect(binder.take("b.weight", shape: [4]) == nil)
        #expect(binder.take("c.weight", shape: [1]) == nil)
        #expect(binder.take("ids", shape: [1]) == nil)
        do {
            try binder.finish()
            Issue.record("finish accepted a bad binding")
        } catch CheckpointError.binding(let report) {
            #expect(report.missing == ["c.weight"])
            #expect(report.unexpected == ["extra.one"])
            #expect(report.misshaped == [.init(name: "b.weight", expected: [4], actual: [3])])
            #expect(report.badDType == ["ids (I64)"])
            let text = CheckpointError.binding(report).description
            #expect(text.contains("missing: c.weight") && text.contains("unexpected: extra.one"))
            #expect(text.contains("mis-shaped: b.weight expected [4] found [3]"))
        }
    }
}
