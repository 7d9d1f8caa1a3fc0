/// Durations as SPEC §1 writes them: a whole number and a unit, `90s`, `15m`, `8h`, `30d`.
public enum Lifetime {
    /// The number of seconds, or `nil` when the text is not a positive duration.
    public static func parse(_ text: String) -> Int64? {
        let digits = text.dropLast()
        guard let unit = text.last, text.count >= 2, text.count <= 12,
              digits.allSatisfy({ $0.isASCII && $0.isNumber }),
              let value = Int64(digits), value > 0 else { return nil }
        let scale: Int64
        switch unit {
        case "s": scale = 1
        case "m": scale = 60
        case "h": scale = 3600
        case "d": scale = 86_400
        default: return nil
        }
        let (product, overflow) = value.multipliedReportingOverflow(by: scale)
        // Past a thousand years is not a lifetime but a typo.
        guard !overflow, product <= 1000 * 365 * 86_400 else { return nil }
        return product
    }

    /// Writes seconds back in the largest unit that divides them.
    public static func format(_ seconds: Int64) -> String {
        if seconds % 86_400 == 0 { return "\(seconds / 86_400)d" }
        if seconds % 3600 == 0 { return "\(seconds / 3600)h" }
        if seconds % 60 == 0 { return "\(seconds / 60)m" }
        return "\(seconds)s"
    }
}
