/// CUDA version numbers as the driver and NVRTC report them (`1000 * major + 10 * minor`: 12040 is 12.4).
public enum CUDAVersion {
    /// `"12.4"` for 12040.
    public static func text(_ version: Int32) -> String { "\(version / 1000).\((version % 1000) / 10)" }

    /// The major version (12 for 12040).
    public static func major(_ version: Int32) -> Int { Int(version / 1000) }

    /// The encoded form of `major.minor`.
    public static func encode(major: Int, minor: Int) -> Int32 { Int32(major * 1000 + minor * 10) }
}
