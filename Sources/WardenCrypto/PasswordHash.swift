/// An scrypt password hash in PHC string format:
/// `$scrypt$ln=17,r=8,p=1$<salt>$<hash>`, salt and hash in unpadded standard base64.
///
/// The PHC form keeps the parameters next to the hash, so verification never
/// depends on the current policy and old hashes stay verifiable after it changes.
public struct PasswordHash: Sendable, Equatable {
    public let parameters: ScryptParameters
    public let salt: [UInt8]
    public let hash: [UInt8]

    /// Salt and hash sizes for new hashes.
    static let saltLength = 16
    static let hashLength = 32
    /// Bounds accepted when parsing, so a stored string cannot ask for absurd sizes.
    static let saltBounds = 8...64
    static let hashBounds = 16...64
    /// Longer strings cannot be well-formed within the bounds above.
    static let maximumPHCLength = 256

    init(parameters: ScryptParameters, salt: [UInt8], hash: [UInt8]) {
        self.parameters = parameters
        self.salt = salt
        self.hash = hash
    }

    /// Parses a PHC string.
    ///
    /// - Throws: `CryptoError.malformedPHC` unless the id is `scrypt`, the
    ///   parameters are exactly `ln=..,r=..,p=..` in canonical decimal within
    ///   bounds (ln 1...30, r 1...32, p 1...16), and salt (8...64 bytes) and hash
    ///   (16...64 bytes) are strict unpadded base64.
    public init(phc: String) throws {
        guard phc.utf8.count <= Self.maximumPHCLength else { throw CryptoError.malformedPHC }
        let fields = phc.split(separator: "$", omittingEmptySubsequences: false)
        guard fields.count == 5, fields[0].isEmpty, fields[1] == "scrypt" else {
            throw CryptoError.malformedPHC
        }
        let assignments = fields[2].split(separator: ",", omittingEmptySubsequences: false)
        guard assignments.count == 3,
              let ln = Self.value(of: "ln", in: assignments[0]),
              let r = Self.value(of: "r", in: assignments[1]),
              let p = Self.value(of: "p", in: assignments[2])
        else { throw CryptoError.malformedPHC }
        let parameters = ScryptParameters(ln: ln, r: r, p: p)
        guard parameters.isWithinBounds,
              let salt = Base64.decodeNoPadding(String(fields[3])),
              let hash = Base64.decodeNoPadding(String(fields[4])),
              Self.saltBounds.contains(salt.count),
              Self.hashBounds.contains(hash.count)
        else { throw CryptoError.malformedPHC }
        self.init(parameters: parameters, salt: salt, hash: hash)
    }

    /// The canonical PHC string.
    public var phc: String {
        "$scrypt$ln=\(parameters.ln),r=\(parameters.r),p=\(parameters.p)"
            + "$\(Base64.encodeNoPadding(salt))$\(Base64.encodeNoPadding(hash))"
    }

    /// Hashes `password` (its UTF-8 bytes, no normalization) with a fresh random
    /// 16-byte salt into a 32-byte hash.
    ///
    /// - Throws: `CryptoError.invalidParameters` if `parameters` are outside the
    ///   bounds `init(phc:)` accepts (a hash that could not be read back would lock
    ///   the user out), or a derivation error.
    public static func make(password: String, parameters: ScryptParameters) throws -> PasswordHash {
        guard parameters.isWithinBounds else { throw CryptoError.invalidParameters }
        let salt = SecureRandom.bytes(saltLength)
        let hash = try derive(password: password, salt: salt, parameters: parameters, length: hashLength)
        return PasswordHash(parameters: parameters, salt: salt, hash: hash)
    }

    /// Recomputes the hash of `password` with the stored salt and parameters and
    /// compares in constant time.
    ///
    /// - Throws: if the derivation itself fails (for example the stored
    ///   parameters need more memory than `Scrypt` allows); a wrong password is
    ///   `false`, never an error.
    public func verify(password: String) throws -> Bool {
        let candidate = try Self.derive(password: password, salt: salt, parameters: parameters, length: hash.count)
        return ConstantTime.equals(candidate, hash)
    }

    private static func derive(
        password: String, salt: [UInt8], parameters: ScryptParameters, length: Int
    ) throws -> [UInt8] {
        guard parameters.isWithinBounds else { throw CryptoError.invalidParameters }
        return try Scrypt.derive(
            password: Array(password.utf8), salt: salt,
            n: UInt64(1) << UInt64(parameters.ln), r: UInt32(parameters.r), p: UInt32(parameters.p),
            length: length)
    }

    /// Parses `name=digits` where digits are canonical decimal (no sign, no
    /// leading zero, at most 4 digits), so every hash has one spelling.
    private static func value(of name: String, in assignment: Substring) -> Int? {
        let parts = assignment.split(separator: "=", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0] == name else { return nil }
        let digits = parts[1].utf8
        guard (1...4).contains(digits.count),
              digits.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
              digits.count == 1 || digits.first != UInt8(ascii: "0")
        else { return nil }
        return Int(parts[1])
    }
}
