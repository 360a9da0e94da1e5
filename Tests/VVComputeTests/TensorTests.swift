import Testing
import VVCompute

/// A do-nothing buffer for testing value types without a backend.
private final class FakeBuffer: DeviceBuffer {
    let byteCount: Int
    init(_ count: Int) { byteCount = count }
}

struct TensorTests {
    @Test func shapeBasics() {
        let shape: Shape = [2, 3, 4]
        #expect(shape.rank == 3 && shape.elementCount == 24 && shape.rows == 6 && shape.last == 4)
        #expect(Shape([]).elementCount == 1 && Shape([]).rank == 0)
        #expect(shape.description == "[2, 3, 4]")
    }

    @Test func viewsShareTheBuffer() throws {
        let tensor = Tensor(shape: [4, 3], dtype: .f32, buffer: FakeBuffer(48))
        let middle = try tensor.rows(1..<3)
        #expect(middle.shape == [2, 3] && middle.byteOffset == 12)
        #expect(middle.buffer === tensor.buffer)
        let flat = try tensor.reshaped([12])
        #expect(flat.shape == [12] && flat.byteOffset == 0)
        #expect(throws: ComputeError.self) { try tensor.reshaped([5]) }
        #expect(throws: ComputeError.self) { try tensor.rows(3..<5) }
        let half = Tensor(shape: [2, 2], dtype: .bf16, buffer: FakeBuffer(8))
        #expect(try half.rows(1..<2).byteOffset == 4)
    }

    @Test func dtypeSizes() {
        #expect(DType.f32.byteSize == 4 && DType.bf16.byteSize == 2 && DType.f16.byteSize == 2 && DType.i32.byteSize == 4)
    }
}
