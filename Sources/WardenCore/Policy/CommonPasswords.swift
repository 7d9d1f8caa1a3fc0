/// The built-in list of common passwords that the password policy refuses.
///
/// The list is the 30,000 most common passwords that the `zxcvbn` package (MIT licence) ships
/// (`Policy/common-passwords.txt`, made by `scripts/generate-common-passwords` and
/// embedded at build time), compared after folding to lower case.
public enum CommonPasswords {
    /// Parsed once, on first use.
    public static let set: Set<Substring> = {
        var words = Set<Substring>(minimumCapacity: 30_000)
        for line in embeddedList.split(separator: "\n") { words.insert(line) }
        return words
    }()

    public static func contains(_ password: String) -> Bool {
        set.contains(Substring(password.lowercased()))
    }
}
