/// JSON string literals (RFC 8259 §7), for the few texts Warden writes by hand
/// because they are on a hot path (the OAuth token reply), must keep an order
/// (`warden cli --json`) or are not JSON documents (a SCIM filter written back as
/// text). Everything else goes through `JSONSerialization` or `JSONEncoder`.
public enum JSONText {
    /// `text` as a JSON string literal: `"` and `\` escaped, control characters as
    /// `\n`, `\r`, `\t` or `\u00XX`; everything else as it is (UTF-8 JSON needs no more).
    public static func quote(_ text: String) -> String {
        // Tokens, names and scopes need no escaping: one scan, then one copy.
        if !text.utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
            return "\"" + text + "\""
        }
        var output = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        return output + "\""
    }
}
