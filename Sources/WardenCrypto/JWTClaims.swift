/// The registered claims Warden puts in, and requires from, every JWT (RFC 7519 §4.1).
///
/// A fixed set rather than a dictionary: the issuer emits exactly these, and the
/// verifier refuses a token missing any of them, so no check can be skipped
/// because a claim was absent.
public struct JWTClaims: Sendable, Equatable {
    /// Issuer.
    public var iss: String
    /// Subject.
    public var sub: String
    /// Audience (a single string; arrays are refused).
    public var aud: String
    /// Issued-at, seconds since the Unix epoch.
    public var iat: Int64
    /// Not-before, seconds since the Unix epoch.
    public var nbf: Int64
    /// Expiry, seconds since the Unix epoch.
    public var exp: Int64
    /// Unique token id, for revocation.
    public var jti: String
    /// For an OAuth 2.0 access token (RFC 9068, header `typ` `at+jwt`): the client
    /// it was issued to, and the permissions of `aud` it carries, space-separated
    /// (possibly none). Both nil for every other Warden token (`typ` `JWT`); both set
    /// for an access token: the kind of a token is told by these, never guessed.
    public var access: AccessClaims?

    public init(iss: String, sub: String, aud: String, iat: Int64, nbf: Int64, exp: Int64, jti: String, access: AccessClaims? = nil) {
        self.iss = iss
        self.sub = sub
        self.aud = aud
        self.iat = iat
        self.nbf = nbf
        self.exp = exp
        self.jti = jti
        self.access = access
    }
}
