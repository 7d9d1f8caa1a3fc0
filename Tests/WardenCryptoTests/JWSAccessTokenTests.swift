import Testing
@testable import WardenCrypto

/// RFC 9068 access tokens (SPEC §13) beside Warden's own tokens: the kind is the
/// header's `typ`, and each kind decodes only in its own shape.
@Suite struct JWSAccessTokenTests {
    static let access = AccessClaims(clientID: "billing-worker", scope: "read write")

    static var claims: JWTClaims {
        var claims = JWSTests.claims
        claims.access = access
        return claims
    }

    @Test(arguments: SigningAlgorithm.allCases)
    func anAccessTokenSaysAtJWTAndRoundTrips(_ algorithm: SigningAlgorithm) throws {
        let key = try SigningKey.generate(algorithm)
        let token = try JWS.sign(Self.claims, key: key, kid: "k")
        let (header, payload) = try JWSFastPathTests.parts(token)
        #expect(try #require(JSONObjectReader(header)).string("typ") == "at+jwt")
        let reader = try #require(JSONObjectReader(payload))
        #expect(reader.string("client_id") == "billing-worker")
        #expect(reader.string("scope") == "read write")
        let decoded = try JWS.decode(token)
        #expect(decoded.claims == Self.claims)
        #expect(decoded.claims.access?.permissions == ["read", "write"])
        #expect(JWS.verify(decoded, with: key.verifier))
    }

    @Test func aWardenTokenHasNoAccessClaimsAndNoneInItsPayload() throws {
        let key = try SigningKey.generate(.edDSA)
        let token = try JWS.sign(JWSTests.claims, key: key, kid: "k")
        let (header, payload) = try JWSFastPathTests.parts(token)
        #expect(try #require(JSONObjectReader(header)).string("typ") == "JWT")
        #expect(try #require(JSONObjectReader(payload)).contains("scope") == false)
        #expect(try JWS.decode(token).claims.access == nil)
    }

    @Test func anEmptyScopeIsAnAccessTokenCarryingNothing() throws {
        let key = try SigningKey.generate(.edDSA)
        var claims = JWSTests.claims
        claims.access = AccessClaims(clientID: "c", scope: "")
        let decoded = try JWS.decode(try JWS.sign(claims, key: key, kid: "k"))
        #expect(decoded.claims.access?.permissions == [])
    }

    /// A `JWT` token whose payload has `scope` and `client_id` is still a `JWT` token:
    /// the claims do not make it an access token.
    @Test func scopeClaimsInAJWTTokenAreIgnored() throws {
        let key = try SigningKey.generate(.edDSA)
        let payload = #"{"aud":"warden","client_id":"c","exp":1700000900,"iat":1700000000,"iss":"https://warden.example","jti":"3f6c2a","nbf":1700000000,"scope":"read","sub":"user:alice"}"#
        let token = try JWSTests.craft(header: #"{"alg":"EdDSA","kid":"k","typ":"JWT"}"#, payload: payload, key: key)
        #expect(try JWS.decode(token).claims.access == nil)
    }

    @Test(arguments: [
        JWSTests.payloadJSON,
        #"{"aud":"warden","client_id":"c","exp":1700000900,"iat":1700000000,"iss":"https://warden.example","jti":"3f6c2a","nbf":1700000000,"sub":"user:alice"}"#,
        #"{"aud":"warden","exp":1700000900,"iat":1700000000,"iss":"https://warden.example","jti":"3f6c2a","nbf":1700000000,"scope":"read","sub":"user:alice"}"#,
        #"{"aud":"warden","client_id":1,"exp":1700000900,"iat":1700000000,"iss":"https://warden.example","jti":"3f6c2a","nbf":1700000000,"scope":"read","sub":"user:alice"}"#,
        #"{"aud":"warden","client_id":"c","exp":1700000900,"iat":1700000000,"iss":"https://warden.example","jti":"3f6c2a","nbf":1700000000,"scope":["read"],"sub":"user:alice"}"#,
    ])
    func anAtJWTTokenWithoutStringClientIDAndScopeIsMalformed(_ payload: String) throws {
        let key = try SigningKey.generate(.edDSA)
        let token = try JWSTests.craft(header: #"{"alg":"EdDSA","kid":"k","typ":"at+jwt"}"#, payload: payload, key: key)
        #expect(throws: JWSError.self) { try JWS.decode(token) }
    }

    @Test(arguments: ["AT+JWT", "application/at+jwt", "at+JWT", "jwt"])
    func otherSpellingsOfTypAreRefused(_ typ: String) throws {
        let key = try SigningKey.generate(.edDSA)
        let token = try JWSTests.craft(header: #"{"alg":"EdDSA","kid":"k","typ":"\#(typ)"}"#, key: key)
        #expect(throws: JWSError.self) { try JWS.decode(token) }
    }
}
