/// MFA recovery codes: one-time secrets shown once, kept only as salted hashes.
///
/// A code is 120 random bits written as 24 lower-case base32 symbols in groups of four
/// (`k7q2-…`). ASVS 5.0 6.5.2 lets a lookup secret of 112 bits or more be stored with
/// a standard hash: it is SHA-256 over a 16-byte random salt and the code, stored as
/// `sha256$SALT$HASH` (unpadded base64). No password-hashing cost is needed to make a
/// guess hopeless, and checking a presented code against ten stays cheap.
public enum RecoveryCode {
    static let symbols = 24
    static let prefix = "sha256"

    /// A new code, as it is shown.
    public static func generate() -> String {
        let symbols = Array(Base32.encode(SecureRandom.bytes(15)).lowercased())
        return stride(from: 0, to: symbols.count, by: 4).map { String(symbols[$0..<min($0 + 4, symbols.count)]) }
            .joined(separator: "-")
    }

    /// What is compared: lower case, without the dashes and spaces people type.
    static func normalized(_ code: String) -> [UInt8] {
        Array(code.lowercased().utf8.filter { $0 != UInt8(ascii: "-") && $0 != UInt8(ascii: " ") })
    }

    /// The stored form of `code`, under a fresh salt.
    public static func hash(_ code: String) -> String {
        let salt = SecureRandom.bytes(16)
        return [prefix, Base64.encodeNoPadding(salt), Base64.encodeNoPadding(Digest.sha256(salt + normalized(code)))]
            .joined(separator: "$")
    }

    /// Whether `code` is the one `stored` was made from (compared in constant time).
    public static func matches(_ code: String, _ stored: String) -> Bool {
        let parts = stored.split(separator: "$", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == prefix, let salt = Base64.decodeNoPadding(String(parts[1])),
              let expected = Base64.decodeNoPadding(String(parts[2])) else { return false }
        let given = normalized(code)
        // A code of another length cannot match; it is still hashed, so the reply's
        // time does not tell lengths apart.
        return ConstantTime.equals(Digest.sha256(salt + given), expected) && given.count == symbols
    }
}
