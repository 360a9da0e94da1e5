/// Human-readable byte counts (`1.9 GB`, `512 KB`), decimal units as download tools show them.
public enum ByteCountText {
    /// Formats `bytes` with one decimal above 1 KB.
    public static func format(_ bytes: Int64) -> String {
        let units = ["B", "KB", "MB", "GB", "TB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1000 && unit < units.count - 1 {
            value /= 1000
            unit += 1
        }
        if unit == 0 { return "\(bytes) B" }
        let tenths = (value * 10).rounded() / 10
        return "\(tenths) \(units[unit])"
    }
}
