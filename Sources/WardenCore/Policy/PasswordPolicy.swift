/// What a password must be (SPEC §2.2): at least 8 characters, at most 1,024 bytes,
/// not the username in any case, not on the built-in common-password list.
///
/// The byte limit is checked first and before any hashing, so that a huge password
/// cannot make the server spend memory or scrypt time on it.
public enum PasswordPolicy {
    public static let minimumCharacters = 8
    public static let maximumBytes = 1024

    public static func validate(_ password: String, username: String) throws(WardenError) {
        guard password.utf8.count <= maximumBytes else {
            throw .invalid("password longer than \(maximumBytes) bytes")
        }
        guard password.count >= minimumCharacters else {
            throw .invalid("password shorter than \(minimumCharacters) characters")
        }
        guard password.lowercased() != username.lowercased() else {
            throw .invalid("password equals the username")
        }
        guard !CommonPasswords.contains(password) else {
            throw .invalid("password is on the list of common passwords")
        }
    }
}
