import Testing
@testable import WardenCrypto

/// `JWS.decode` reads the tokens Warden issues with the byte-level reader and
/// anything else with `JSONSerialization`, with the same acceptance rules either way.
@Suite struct JWSFastPathTests {
    static func parts(_ token: String) throws -> (header: [UInt8], payload: [UInt8]) {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        return (try #require(Base64URL.decodeStrict(parts[0])), try #require(Base64URL.decodeStrict(parts[1])))
    }

    @Test(arguments: SigningAlgorithm.allCases)
    func tokensWardenIssuesTakeTheFastPath(_ algorithm: SigningAlgorithm) throws {
        let key = try SigningKey.generate(algorithm)
        var claims = JWSTests.claims
        claims.exp = Int64.max
        claims.iat = 0
        let token = try JWS.sign(claims, key: key, kid: "2026-01-k7")
        let (header, payload) = try Self.parts(token)
        #expect(try #require(JSONObjectReader(header)).isFlat)
        #expect(try #require(JSONObjectReader(payload)).isFlat)
        let decoded = try JWS.decode(token)
        #expect(decoded.claims == claims)
        #expect(decoded.kid == "2026-01-k7")
        #expect(decoded.algorithm == algorithm.rawValue)
        #expect(JWS.verify(decoded, with: key.verifier))
    }

    @Test func claimsNeedingEscapesTakeTheGeneralPath() throws {
        let key = try SigningKey.generate(.edDSA)
        var claims = JWSTests.claims
        claims.sub = "quote\" é"
        let token = try JWS.sign(claims, key: key, kid: "k")
        let (_, payload) = try Self.parts(token)
        #expect(try #require(JSONObjectReader(payload)).isFlat == false)
        #expect(try JWS.decode(token).claims == claims)
    }

    /// Tokens in another spelling of valid JSON were accepted before the fast path
    /// existed; they still are, through the general path.
    @Test(arguments: [
        #"{ "aud": "warden", "exp": 1700000900, "iat": 1700000000, "iss": "https://warden.example", "jti": "3f6c2a", "nbf": 1700000000, "sub": "user:alice" }"#,
        #"{"sub":"user:alice","nbf":1700000000,"jti":"3f6c2a","iss":"https://warden.example","iat":1700000000,"exp":1700000900,"aud":"warden"}"#,
        #"{"aud":"warden","exp":1,"exp":1700000900,"iat":1700000000,"iss":"https://warden.example","jti":"3f6c2a","nbf":1700000000,"sub":"user:alice"}"#,
        #"{"aud":"warden","exp":1700000900,"iat":1700000000,"iss":"https:\/\/warden.example","jti":"3f6c2a","nbf":1700000000,"sub":"user:\u0061lice","scope":{"a":[1,true,null]}}"#,
    ])
    func otherSpellingsOfTheSameClaimsStillDecode(_ payload: String) throws {
        let key = try SigningKey.generate(.edDSA)
        let token = try JWSTests.craft(header: #"{"alg":"EdDSA","kid":"k","typ":"JWT"}"#, payload: payload, key: key)
        let decoded = try JWS.decode(token)
        #expect(decoded.claims == JWSTests.claims)
        #expect(JWS.verify(decoded, with: key.verifier))
    }

    /// Refusals that the fast path must not turn into acceptances: each looks like
    /// Warden's form but for one detail.
    @Test(arguments: [
        #"{"alg":"EdDSA","kid":"k","typ":"JWT","alg":"none"}"#,
        #"{"alg":"EdDSA","kid":"k","typ":"JWT","cty":"JWT"}"#,
        #"{"alg":"EdDSA","kid":"k","typ":"jwt"}"#,
        #"{"alg":"EdDSA","kid":7,"typ":"JWT"}"#,
        #"{"alg":"EdDSA","kid":"k","typ":1}"#,
        #"{"alg":"none","kid":"k","typ":"JWT"}"#,
        #"{"alg":"EdDSA","kid":"k","typ":"JWT"}x"#,
    ])
    func nearMissHeadersAreStillRefused(_ header: String) throws {
        let key = try SigningKey.generate(.edDSA)
        let token = try JWSTests.craft(header: header, key: key)
        #expect(throws: JWSError.self) { try JWS.decode(token) }
    }

    @Test(arguments: [
        #"{"aud":"warden","exp":"1700000900","iat":1700000000,"iss":"i","jti":"j","nbf":1700000000,"sub":"s"}"#,
        #"{"aud":"warden","exp":9223372036854775808,"iat":1700000000,"iss":"i","jti":"j","nbf":1700000000,"sub":"s"}"#,
        #"{"aud":"warden","exp":1700000900,"iat":1700000000,"iss":"i","jti":"j","nbf":1700000000,"sub":7}"#,
        #"{"aud":"warden","exp":1700000900,"iat":1700000000,"iss":"i","jti":"j","sub":"s"}"#,
        #"{"aud":"warden","exp":1700000900,"iat":1700000000,"iss":"i","jti":"j","nbf":01700000000,"sub":"s"}"#,
        #"{"aud":"warden","exp":1700000900,"iat":1700000000,"iss":"i","jti":"j","nbf":1700000000,"sub":"s","nbf":-1}"#,
    ])
    func nearMissPayloadsAreStillRefused(_ payload: String) throws {
        let key = try SigningKey.generate(.edDSA)
        let token = try JWSTests.craft(header: #"{"alg":"EdDSA","kid":"k","typ":"JWT"}"#, payload: payload, key: key)
        #expect(throws: JWSError.self) { try JWS.decode(token) }
    }
}
