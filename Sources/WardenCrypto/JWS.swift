import Foundation

/// JWS compact serialization of JWTs (RFC 7515, RFC 7519), hardened per RFC 8725.
///
/// Decoding is deliberately narrow: one header shape, two algorithms, one
/// claims shape, one base64url spelling. Everything else is refused before a key
/// is even looked up, so header-driven tricks (`alg: none`, algorithm swaps,
/// keys or key URLs embedded in the header, `crit` extensions) have no path in.
public enum JWS {
    /// Tokens longer than this are refused before any parsing.
    public static let maximumTokenBytes = 8192

    /// The only header members accepted.
    private static let allowedHeaderMembers: Set<String> = ["alg", "kid", "typ"]

    private struct Header: Encodable {
        let alg: String
        let kid: String
        let typ: String
    }

    private struct Payload: Encodable {
        let iss: String
        let sub: String
        let aud: String
        let iat: Int64
        let nbf: Int64
        let exp: Int64
        let jti: String
        // RFC 9068 access tokens only; absent (not null) in every other token.
        let client_id: String?
        let scope: String?
    }

    /// The header `typ` of Warden's own tokens (SPEC §2.4).
    public static let tokenType = "JWT"
    /// The header `typ` of an OAuth 2.0 JWT access token (RFC 9068 §2.1, SPEC §13).
    public static let accessTokenType = "at+jwt"

    /// Signs `claims` into a compact JWS with header `{"alg":..,"kid":..,"typ":"JWT"}`
    /// and a payload holding exactly iss, sub, aud, iat, nbf, exp, jti (integers
    /// as JSON integers); an access token (`claims.access`) has `typ` `at+jwt` and
    /// adds `client_id` and `scope` (RFC 9068).
    ///
    /// - Throws: `CryptoError.invalidParameters` if a time claim is negative
    ///   (`decode` would refuse the token), or a signing error.
    public static func sign(_ claims: JWTClaims, key: SigningKey, kid: String) throws -> String {
        guard claims.iat >= 0, claims.nbf >= 0, claims.exp >= 0 else { throw CryptoError.invalidParameters }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let type = claims.access == nil ? tokenType : accessTokenType
        let header = try encoder.encode(Header(alg: key.algorithm.rawValue, kid: kid, typ: type))
        let payload = try encoder.encode(Payload(
            iss: claims.iss, sub: claims.sub, aud: claims.aud,
            iat: claims.iat, nbf: claims.nbf, exp: claims.exp, jti: claims.jti,
            client_id: claims.access?.clientID, scope: claims.access?.scope))
        let signingInput = Base64URL.encode(Array(header)) + "." + Base64URL.encode(Array(payload))
        let signature = try key.sign(Array(signingInput.utf8))
        return signingInput + "." + Base64URL.encode(signature)
    }

    /// Checks a compact JWS's structure and extracts its parts, without verifying
    /// the signature (see `verify`).
    ///
    /// - Throws: `JWSError.malformed` if the token is over `maximumTokenBytes`,
    ///   is not three strict-base64url parts, has an empty signature, has a header
    ///   that is not exactly `alg` ("EdDSA" or "ES256"), `kid` (string) and
    ///   optional `typ` ("JWT", or "at+jwt" for an access token), or a payload
    ///   lacking string iss/sub/aud/jti or non-negative integer iat/nbf/exp (JSON
    ///   integers; `true`, `1.0`, `1e3` are refused), or an access token lacking
    ///   string `client_id` and `scope`. Other payload claims are ignored (in a
    ///   `JWT` token, `client_id` and `scope` too: its kind is its `typ`).
    public static func decode(_ token: String) throws(JWSError) -> DecodedJWS {
        let bytes = Array(token.utf8)
        guard bytes.count <= maximumTokenBytes else { throw .malformed("token too large") }
        let parts = bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard parts.count == 3 else { throw .malformed("not three parts") }
        guard let headerBytes = Base64Codec.url.decode(parts[0]),
              let payloadBytes = Base64Codec.url.decode(parts[1]),
              let signature = Base64Codec.url.decode(parts[2])
        else { throw .malformed("invalid base64url") }
        guard !signature.isEmpty else { throw .malformed("empty signature") }

        guard let header = JSONObjectReader(headerBytes) else { throw .malformed("header is not a JSON object") }
        guard header.hasOnlyMembers(in: allowedHeaderMembers) else { throw .malformed("unsupported header member") }
        guard let algorithm = header.string("alg"), SigningAlgorithm(rawValue: algorithm) != nil else {
            throw .malformed("unsupported alg")
        }
        guard let kid = header.string("kid") else { throw .malformed("missing kid") }
        let isAccessToken = header.string("typ") == accessTokenType
        if header.contains("typ"), header.string("typ") != tokenType, !isAccessToken { throw .malformed("unsupported typ") }

        guard let payload = JSONObjectReader(payloadBytes) else { throw .malformed("payload is not a JSON object") }
        guard let iss = payload.string("iss"), let sub = payload.string("sub"),
              let aud = payload.string("aud"), let jti = payload.string("jti")
        else { throw .malformed("missing or non-string claim") }
        guard let iat = payload.nonNegativeInteger("iat"), let nbf = payload.nonNegativeInteger("nbf"),
              let exp = payload.nonNegativeInteger("exp")
        else { throw .malformed("missing or non-integer time claim") }
        var access: AccessClaims?
        if isAccessToken {
            guard let clientID = payload.string("client_id"), let scope = payload.string("scope") else {
                throw .malformed("access token without string client_id and scope")
            }
            access = AccessClaims(clientID: clientID, scope: scope)
        }

        let signingInputLength = parts[0].count + 1 + parts[1].count
        return DecodedJWS(
            algorithm: algorithm, kid: kid,
            claims: JWTClaims(iss: iss, sub: sub, aud: aud, iat: iat, nbf: nbf, exp: exp, jti: jti, access: access),
            signingInput: Array(bytes.prefix(signingInputLength)),
            signature: signature)
    }

    /// `decode`, and the token must name `issuer` as its `iss` (RFC 8725 §3.8): a token
    /// signed with one of Warden's keys for another issuer (a key shared by mistake, a
    /// renamed deployment) is not one of this Warden's tokens. Checked before any key
    /// is looked up, like every other claim shape check, so it is `malformed`.
    public static func decode(_ token: String, issuer: String) throws(JWSError) -> DecodedJWS {
        let decoded = try decode(token)
        guard decoded.claims.iss == issuer else { throw .malformed("unexpected iss") }
        return decoded
    }

    /// True only if the token's `alg` is the key's own algorithm and the signature
    /// verifies. The key decides the algorithm, never the token (RFC 8725 §3.1).
    public static func verify(_ decoded: DecodedJWS, with key: VerifyingKey) -> Bool {
        guard decoded.algorithm == key.algorithm.rawValue else { return false }
        return key.verify(signature: decoded.signature, message: decoded.signingInput)
    }
}
