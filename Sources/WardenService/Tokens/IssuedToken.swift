import WardenCore
import WardenCrypto
import WardenStore

/// A freshly signed token and the record that makes it revocable.
struct IssuedToken: Sendable {
    var token: String
    var record: IssuedTokenRecord
    /// What an OAuth 2.0 access token carries; nil for every other token.
    var access: AccessClaims?
}

extension WardenService {
    /// Signs a token for `user` with the active key. The caller commits the record.
    /// With `access`, an OAuth 2.0 access token (RFC 9068), recorded like any other.
    func makeToken(for user: User, audience: String, ttl: Int64, now: Timestamp, key given: Keyring.Entry? = nil,
                   access: AccessClaims? = nil) throws -> IssuedToken {
        guard let key = given ?? state.withLock({ $0.keyring.active }) else { throw WardenError.unavailable("no active signing key") }
        let issuedAt = now.seconds
        let claims = JWTClaims(
            iss: configuration.issuer, sub: user.name, aud: audience, iat: issuedAt, nbf: issuedAt,
            exp: issuedAt + ttl, jti: Base64URL.encode(SecureRandom.bytes(16)), access: access)
        let token = try JWS.sign(claims, key: key.signer, kid: key.record.kid)
        let record = IssuedTokenRecord(
            jti: claims.jti, userID: user.id, kid: key.record.kid, audience: audience,
            issued: now, expires: Timestamp(seconds: claims.exp))
        return IssuedToken(token: token, record: record, access: access)
    }
}
