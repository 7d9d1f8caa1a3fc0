/// A token Warden issued, remembered until it expires so that revocation is exact.
public struct IssuedTokenRecord: Sendable, Equatable, Codable {
    public enum Revocation: String, Sendable, Codable {
        /// `TOKEN REVOKE`, or its user was deleted, or re-enabled after a disable.
        case revoked
        /// Its user was disabled while it was live.
        case disabled
    }

    public var jti: String
    public var userID: Int64
    public var kid: String
    public var audience: String
    public var issued: Timestamp
    public var expires: Timestamp
    public var revocation: Revocation?

    public init(jti: String, userID: Int64, kid: String, audience: String, issued: Timestamp, expires: Timestamp, revocation: Revocation? = nil) {
        self.jti = jti
        self.userID = userID
        self.kid = kid
        self.audience = audience
        self.issued = issued
        self.expires = expires
        self.revocation = revocation
    }
}

/// An API key of a service user: only the SHA-256 of the secret is kept.
public struct APIKeyRecord: Sendable, Equatable, Codable {
    public var id: String
    public var userID: Int64
    public var keyHash: String
    public var created: Timestamp

    public init(id: String, userID: Int64, keyHash: String, created: Timestamp) {
        self.id = id
        self.userID = userID
        self.keyHash = keyHash
        self.created = created
    }
}

/// A pending one-time activation code: only the SHA-256 of the code is kept.
public struct InviteRecord: Sendable, Equatable, Codable {
    public var userID: Int64
    public var codeHash: String
    public var expires: Timestamp

    public init(userID: Int64, codeHash: String, expires: Timestamp) {
        self.userID = userID
        self.codeHash = codeHash
        self.expires = expires
    }
}

/// A signing key: its public half, its private half sealed with the master key
/// (`SecretVault`), and bookkeeping.
public struct SigningKeyRecord: Sendable, Equatable, Codable {
    public var kid: String
    public var algorithm: String
    public var publicJWK: String
    /// The sealed PKCS#8 private key; nil only for a v1 key whose file is gone.
    public var sealedKey: String?
    public var created: Timestamp
    public var retired: Timestamp?
    /// The latest expiry of any token it signed: it stays published until then.
    public var lastExpiry: Timestamp

    public init(kid: String, algorithm: String, publicJWK: String, sealedKey: String?, created: Timestamp,
                retired: Timestamp? = nil, lastExpiry: Timestamp) {
        self.kid = kid
        self.algorithm = algorithm
        self.publicJWK = publicJWK
        self.sealedKey = sealedKey
        self.created = created
        self.retired = retired
        self.lastExpiry = lastExpiry
    }
}
