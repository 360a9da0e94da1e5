/// The dimensions of a tensor, outermost first; tensors are dense and row-major.
public struct Shape: Sendable, Equatable, Hashable, CustomStringConvertible, ExpressibleByArrayLiteral {
    /// The dimensions.
    public var dims: [Int]

    /// Creates a shape; every dimension must be non-negative.
    public init(_ dims: [Int]) {
        precondition(dims.allSatisfy { $0 >= 0 }, "negative dimension in \(dims)")
        self.dims = dims
    }

    /// Creates a shape from a literal such as `[2, 896]`.
    public init(arrayLiteral elements: Int...) { self.init(elements) }

    /// The number of dimensions.
    public var rank: Int { dims.count }
    /// The number of elements (1 for rank 0).
    public var elementCount: Int { dims.reduce(1, *) }
    /// The dimension at `index`.
    public subscript(index: Int) -> Int { dims[index] }
    /// The innermost dimension (1 for rank 0).
    public var last: Int { dims.last ?? 1 }
    /// The product of all but the innermost dimension (the number of rows when viewed as a matrix).
    public var rows: Int { dims.dropLast().reduce(1, *) }

    /// `[2, 896]` style text.
    public var description: String { "[" + dims.map(String.init).joined(separator: ", ") + "]" }
}
