/// Names of users, roles, systems and permissions (SPEC §2): 1–128 characters of
/// `a-z 0-9 . _ @ -`, starting with a letter or digit. Input is folded to lower case
/// so that `Alice` and `alice` are one user.
public enum Identifier {
    public static let maximumLength = 128

    /// The folded identifier, or `INVALID` naming what was expected (`what`).
    public static func parse(_ text: String, what: String = "identifier") throws(WardenError) -> String {
        // Most names arrive folded already: skip the copy `lowercased()` would make.
        if isValid(text) { return text }
        let folded = text.lowercased()
        guard isValid(folded) else {
            throw .invalid("\(what) must be 1-128 characters of a-z 0-9 . _ @ - starting with a letter or digit")
        }
        return folded
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
