/// Names of users, roles, systems and permissions (SPEC §2): 1–128 characters of
/// `a-z 0-9 . _ @ -`, starting with a letter or digit. Input is folded to lower case
/// so that `Alice` and `alice` are one user — ASCII `A-Z` only (SPEC §2, v2): Unicode
/// case mapping would fold look-alikes such as the Kelvin sign (U+212A) into `k`, so
/// that `\u{212A}ate` would name the user `kate`.
public enum Identifier {
    public static let maximumLength = 128

    /// The folded identifier, or `INVALID` naming what was expected (`what`).
    public static func parse(_ text: String, what: String = "identifier") throws(WardenError) -> String {
        // Most names arrive folded already: skip the copy folding would make.
        if isValid(text) { return text }
        let folded = fold(text)
        guard isValid(folded) else {
            throw .invalid("\(what) must be 1-128 characters of a-z 0-9 . _ @ - starting with a letter or digit")
        }
        return folded
    }

    /// `text` with ASCII `A-Z` turned into `a-z` and every other character left as it
    /// is (so that a non-ASCII look-alike stays invalid instead of becoming a name).
    public static func fold(_ text: String) -> String {
        guard text.utf8.contains(where: { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") }) else { return text }
        return String(decoding: text.utf8.map { byte in
            byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte + 32 : byte
        }, as: UTF8.self)
    }

    /// Whether `text` (already folded) is a valid identifier.
    public static func isValid(_ text: String) -> Bool {
        let bytes = text.utf8
        guard !bytes.isEmpty, bytes.count <= maximumLength else { return false }
        var first = true
        for byte in bytes {
            let alphanumeric = (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
            if first {
                guard alphanumeric else { return false }
                first = false
            } else if !alphanumeric && byte != UInt8(ascii: ".") && byte != UInt8(ascii: "_")
                && byte != UInt8(ascii: "@") && byte != UInt8(ascii: "-") {
                return false
            }
        }
        return true
    }
}
