import Testing

@testable import VVModelFiles

@Suite("TorchTensor")
struct TorchTensorTests {
    @Test(
        "IEEE half bits widen exactly",
        arguments: [
            (UInt16(0x3C00), Float(1)), (0xC000, -2), (0x7BFF, 65504), (0x0001, 0x1p-24), (0x03FF, 0x3FFp-24),
            (0x0400, 0x1p-14), (0x8000, -0.0), (0x7C00, .infinity), (0xFC00, -.infinity), (0x3555, 0.333251953125),
        ])
    func halfToFloat(bits: UInt16, value: Float) {
        let widened = TorchTensor.halfToFloat(bits)
        #expect(widened == value && widened.sign == value.sign)
    }

    @Test("half NaN stays NaN")
    func halfNaN() {
        #expect(TorchTensor.halfToFloat(0x7E00).isNaN)
    }

    @Test("strided tensors read in row-major order and pack to contiguous")
    func strided() throws {
        // float32 storage [0, 1, 2, 3, 4, 5] viewed as the transpose of a 2x3 matrix: shape [3, 2], strides [1, 3].
        let storage = (0..<6).flatMap { withUnsafeBytes(of: Float($0).bitPattern.littleEndian, Array.init) }
        let t = try TorchTensor(dtype: .float32, shape: [3, 2], strides: [1, 3], bytes: storage)
        #expect(!t.isContiguous)
        #expect(t.floatValues() == [0, 3, 1, 4, 2, 5])
        let packed = t.contiguous()
        #expect(packed.strides == [2, 1] && packed.isContiguous)
        #expect(packed.floatValues() == [0, 3, 1, 4, 2, 5])
        #expect(packed.bytes.count == 24)
    }

    @Test("half bits of contiguous and transposed bf16 tensors")
    func halfBitsLayouts() throws {
        let bytes: [UInt8] = [0x80, 0x3F, 0x00, 0x40, 0x40, 0x40, 0x80, 0x40]  // bf16 1, 2, 3, 4
        let plain = try TorchTensor(dtype: .bfloat16, shape: [2, 2], strides: [2, 1], bytes: bytes)
        #expect(try plain.halfBits() == [0x3F80, 0x4000, 0x4040, 0x4080])
        let transposed = try TorchTensor(dtype: .bfloat16, shape: [2, 2], strides: [1, 2], bytes: bytes)
        #expect(try transposed.halfBits() == [0x3F80, 0x4040, 0x4000, 0x4080])
        #expect(transposed.floatValues() == [1, 3, 2, 4])
        let floats = try TorchTensor(dtype: .float32, shape: [2], strides: [1], bytes: bytes)
        #expect(throws: TorchFileError.self) { _ = try floats.halfBits() }
    }

    @Test("shapes that do not fit their bytes are refused")
    func refusals() {
        #expect(throws: TorchFileError.self) {
            _ = try TorchTensor(
                dtype: .bfloat16, shape: [2, 3], strides: [3, 1], bytes: [UInt8](repeating: 0, count: 11))
        }
        #expect(throws: TorchFileError.badTensor("shape [2] and strides [1, 1] have different ranks")) {
            _ = try TorchTensor(dtype: .bfloat16, shape: [2], strides: [1, 1], bytes: [0, 0, 0, 0])
        }
        #expect(throws: TorchFileError.badTensor("negative size or stride in shape [2], strides [-1]")) {
            _ = try TorchTensor(dtype: .bfloat16, shape: [2], strides: [-1], bytes: [0, 0, 0, 0])
        }
        #expect(throws: TorchFileError.self) {
            _ = try TorchTensor(dtype: .uint8, shape: [1 << 30, 1 << 30, 4], strides: [0, 0, 0], bytes: [0])
        }
    }

    @Test("zero strides broadcast one element; empty tensors need no bytes")
    func broadcastAndEmpty() throws {
        let t = try TorchTensor(dtype: .int8, shape: [3], strides: [0], bytes: [0xFE])
        #expect(t.floatValues() == [-2, -2, -2])
        let empty = try TorchTensor(dtype: .float32, shape: [0, 5], strides: [5, 1], bytes: [])
        #expect(empty.elementCount == 0 && empty.floatValues().isEmpty)
    }

    @Test("storage class names map to dtypes")
    func storageClasses() {
        #expect(TorchDType(storageClass: "BFloat16Storage") == .bfloat16)
        #expect(TorchDType(storageClass: "HalfStorage") == .float16)
        #expect(TorchDType(storageClass: "FloatStorage") == .float32)
        #expect(TorchDType(storageClass: "UntypedStorage") == nil)
    }
}
