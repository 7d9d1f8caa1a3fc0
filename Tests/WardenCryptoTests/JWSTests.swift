import Testing
@testable import WardenCrypto

/// JWS compact tokens: issuing, decoding, verifying, and the RFC 8725 attacks.
@Suite struct JWSTests {
    static let claims = JWTClaims(
        iss: "https://warden.example", sub: "user:alice", aud: "warden",
        iat: 1_700_000_000, nbf: 1_700_000_000, exp: 1_700_000_900, jti: "3f6c2a")

    static let payloadJSON = #"{"aud":"warden","exp":1700000900,"iat":1700000000,"iss":"https://warden.example","jti":"3f6c2a","nbf":1700000000,"sub":"user:alice"}"#

    /// Builds `b64(header).b64(payload).b64(signature)` with a real signature, so a
    /// refusal can only come from the structural checks.
    static func craft(header: String, payload: String = payloadJSON, key: SigningKey) throws -> String {
        let input = Base64URL.encode(TestBytes.utf8(header)) + "." + Base64URL.encode(TestBytes.utf8(payload))
        return input + "." + Base64URL.encode(try key.sign(TestBytes.utf8(input)))
    }

    /// True if the token survives both decode and verify.
    static func accepted(_ token: String, by key: VerifyingKey) -> Bool {
        guard let decoded = try? JWS.decode(token) else { return false }
        return JWS.verify(decoded, with: key)
    }

    @Test(arguments: SigningAlgorithm.allCases)
    func signDecodeVerify(_ algorithm: SigningAlgorithm) throws {
        let key = try SigningKey.generate(algorithm)
        let token = try JWS.sign(Self.claims, key: key, kid: "key-1")
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        #expect(parts.count == 3)
        let header = try #require(Base64URL.decodeStrict(parts[0]))
        #expect(String(decoding: header, as: UTF8.self) == #"{"alg":"\#(algorithm.rawValue)","kid":"key-1","typ":"JWT"}"#)
        let payload = try #require(Base64URL.decodeStrict(parts[1]))
        #expect(String(decoding: payload, as: UTF8.self) == Self.payloadJSON)

        let decoded = try JWS.decode(token)
        #expect(decoded.algorithm == algorithm.rawValue)
        #expect(decoded.kid == "key-1")
        #expect(decoded.claims == Self.claims)
        #expect(decoded.signature.count == 64)
        #expect(decoded.signingInput == TestBytes.utf8(String(token[..<token.lastIndex(of: ".")!])))
        #expect(JWS.verify(decoded, with: key.verifier))
        #expect(!JWS.verify(decoded, with: try SigningKey.generate(algorithm).verifier))
    }

    @Test func claimsNeedingEscapingRoundTrip() throws {
        let key = try SigningKey.generate(.edDSA)
        var claims = Self.claims
        claims.sub = "quote\" backslash\\ slash/ newline\n nul\u{0} é 🔑"
        claims.iat = 0
        claims.exp = Int64.max
        let token = try JWS.sign(claims, key: key, kid: "kid \"with\" quotes")
        let decoded = try JWS.decode(token)
        #expect(decoded.claims == claims)
        #expect(decoded.kid == "kid \"with\" quotes")
        #expect(JWS.verify(decoded, with: key.verifier))
    }

    @Test func negativeTimesAreNotIssued() throws {
        let key = try SigningKey.generate(.edDSA)
        var claims = Self.claims
        claims.nbf = -1
        #expect(throws: CryptoError.invalidParameters) { try JWS.sign(claims, key: key, kid: "k") }
    }

    @Test func duplicateMembersResolveToTheLastOne() throws {
        // RFC 7515 §4: reject duplicates or use the lexically last; Foundation does the latter.
        let key = try SigningKey.generate(.edDSA)
        let token = try Self.craft(header: #"{"alg":"EdDSA","kid":"a","kid":"b"}"#, key: key)
        #expect(try JWS.decode(token).kid == "b")
        let noneLast = try Self.craft(header: #"{"alg":"EdDSA","kid":"k","alg":"none"}"#, key: key)
        #expect(throws: JWSError.self) { try JWS.decode(noneLast) }
    }

    @Test func craftedBaselineIsAccepted() throws {
        // The attack table below is meaningful only if this well-formed token passes.
        let key = try SigningKey.generate(.edDSA)
        let token = try Self.craft(header: #"{"alg":"EdDSA","kid":"k","typ":"JWT"}"#, key: key)
        #expect(Self.accepted(token, by: key.verifier))
        let withoutTyp = try Self.craft(header: #"{"kid":"k","alg":"EdDSA"}"#, key: key)
        #expect(Self.accepted(withoutTyp, by: key.verifier))
        let extraClaim = try Self.craft(header: #"{"alg":"EdDSA","kid":"k"}"#,
                                        payload: String(Self.payloadJSON.dropLast()) + #","scope":["a"]}"#, key: key)
        #expect(Self.accepted(extraClaim, by: key.verifier))
    }

    /// Headers that decode must refuse even though the signature is genuine.
    @Test(arguments: [
        #"{"alg":"none","kid":"k","typ":"JWT"}"#,
        #"{"alg":"None","kid":"k","typ":"JWT"}"#,
        #"{"alg":"NONE","kid":"k"}"#,
        #"{"alg":"HS256","kid":"k","typ":"JWT"}"#,
        #"{"alg":"RS256","kid":"k","typ":"JWT"}"#,
        #"{"alg":"eddsa","kid":"k","typ":"JWT"}"#,
        #"{"alg":"Ed25519","kid":"k","typ":"JWT"}"#,
        #"{"alg":"","kid":"k","typ":"JWT"}"#,
        #"{"alg":null,"kid":"k","typ":"JWT"}"#,
        #"{"alg":["EdDSA"],"kid":"k","typ":"JWT"}"#,
        #"{"kid":"k","typ":"JWT"}"#,
        #"{"alg":"EdDSA","typ":"JWT"}"#,
        #"{"alg":"EdDSA","kid":7,"typ":"JWT"}"#,
        #"{"alg":"EdDSA","kid":null}"#,
        #"{"alg":"EdDSA","kid":"k","typ":"jwt"}"#,
        #"{"alg":"EdDSA","kid":"k","typ":"JOSE"}"#,
        #"{"alg":"EdDSA","kid":"k","typ":true}"#,
        #"{"alg":"EdDSA","kid":"k","typ":"JWT","jku":"https://evil.example/jwks"}"#,
        #"{"alg":"EdDSA","kid":"k","typ":"JWT","jwk":{"kty":"OKP","crv":"Ed25519","x":"AAAA"}}"#,
        #"{"alg":"EdDSA","kid":"k","typ":"JWT","x5u":"https://evil.example/cert"}"#,
        #"{"alg":"EdDSA","kid":"k","typ":"JWT","x5c":["AAAA"]}"#,
        #"{"alg":"EdDSA","kid":"k","typ":"JWT","crit":["exp"],"exp":1}"#,
        #"{"alg":"EdDSA","kid":"k","typ":"JWT","cty":"JWT"}"#,
        #"{"alg":"EdDSA","kid":"k","typ":"JWT","b64":false}"#,
        #"{"Alg":"EdDSA","kid":"k","typ":"JWT"}"#,
        #"["EdDSA","k"]"#,
        #""EdDSA""#,
        #"{"alg":"EdDSA","kid":"k","typ":"JWT"} "# + "x",
        "",
        "not json",
    ])
    func hostileHeaderIsRefused(_ header: String) throws {
        let key = try SigningKey.generate(.edDSA)
        let token = try Self.craft(header: header, key: key)
        #expect(throws: JWSError.self) { try JWS.decode(token) }
    }

    /// Payloads that decode must refuse even though the signature is genuine.
    @Test(arguments: [
        #"{}"#,
        #"[]"#,
        #"null"#,
        #"{"aud":"warden","exp":1700000900,"iat":1700000000,"iss":"i","nbf":1700000000,"sub":"s"}"#,
        #"{"aud":"warden","exp":1700000900,"iat":1700000000,"iss":"i","jti":"j","sub":"s"}"#,
        #"{"aud":["warden"],"exp":1700000900,"iat":1700000000,"iss":"i","jti":"j","nbf":1700000000,"sub":"s"}"#,
        #"{"aud":"warden","exp":true,"iat":1700000000,"iss":"i","jti":"j","nbf":1700000000,"sub":"s"}"#,
        #"{"aud":"warden","exp":1700000900,"iat":false,"iss":"i","jti":"j","nbf":1700000000,"sub":"s"}"#,
        #"{"aud":"warden","exp":1,"iat":1,"iss":"i","jti":"j","nbf":true,"sub":"s"}"#,
        #"{"aud":"warden","exp":1700000900.5,"iat":1700000000,"iss":"i","jti":"j","nbf":1700000000,"sub":"s"}"#,
        #"{"aud":"warden","exp":"1700000900","iat":1700000000,"iss":"i","jti":"j","nbf":1700000000,"sub":"s"}"#,
        #"{"aud":"warden","exp":99999999999999999999,"iat":1700000000,"iss":"i","jti":"j","nbf":1700000000,"sub":"s"}"#,
        #"{"aud":"warden","exp":1e9,"iat":1700000000,"iss":"i","jti":"j","nbf":1700000000,"sub":"s"}"#,
        #"{"aud":"warden","exp":1700000900.0,"iat":1700000000,"iss":"i","jti":"j","nbf":1700000000,"sub":"s"}"#,
        #"{"aud":"warden","exp":1700000900,"iat":-1,"iss":"i","jti":"j","nbf":1700000000,"sub":"s"}"#,
        #"{"aud":"warden","exp":1700000900,"iat":-9223372036854775808,"iss":"i","jti":"j","nbf":1700000000,"sub":"s"}"#,
        #"{"aud":"warden","exp":9223372036854775808,"iat":1700000000,"iss":"i","jti":"j","nbf":1700000000,"sub":"s"}"#,
        #"{"aud":"warden","exp":18446744073709551615,"iat":1700000000,"iss":"i","jti":"j","nbf":1700000000,"sub":"s"}"#,
        #"{"aud":"warden","exp":null,"iat":1700000000,"iss":"i","jti":"j","nbf":1700000000,"sub":"s"}"#,
        #"{"aud":"warden","exp":1700000900,"iat":1700000000,"iss":1,"jti":"j","nbf":1700000000,"sub":"s"}"#,
        #"{"aud":"warden","exp":1700000900,"iat":1700000000,"iss":"i","jti":"j","nbf":1700000000,"sub":true}"#,
        #"{"aud":"warden","exp":1700000900,"iat":1700000000,"iss":"i","jti":{},"nbf":1700000000,"sub":"s"}"#,
    ])
    func hostilePayloadIsRefused(_ payload: String) throws {
        let key = try SigningKey.generate(.edDSA)
        let token = try Self.craft(header: #"{"alg":"EdDSA","kid":"k","typ":"JWT"}"#, payload: payload, key: key)
        #expect(throws: JWSError.self) { try JWS.decode(token) }
    }

    enum Attack: String, CaseIterable, Sendable {
        case tamperedPayload, tamperedHeaderKid, swappedSignature
        case paddedSignature, paddedPayload, doublePadded
        case nonCanonicalSignatureBits, plusInPart, slashInPart
        case twoParts, fourParts, emptyPart, emptySignature, trailingDot, leadingDot
        case oversize, truncatedByOne, truncatedByTwo, whitespace, nonASCII
        case algRewrittenToES256, verifiedWithES256Key, algMislabelledButSignedBySameKey

        /// Whether `JWS.decode` itself must refuse (otherwise `verify` must).
        var refusedByDecode: Bool {
            switch self {
            case .tamperedPayload, .tamperedHeaderKid, .swappedSignature, .truncatedByTwo,
                 .algRewrittenToES256, .verifiedWithES256Key, .algMislabelledButSignedBySameKey:
                false
            default:
                true
            }
        }
    }

    @Test(arguments: Attack.allCases)
    func attackIsRefused(_ attack: Attack) throws {
        let key = try SigningKey.generate(.edDSA)
        let token = try JWS.sign(Self.claims, key: key, kid: "k")
        #expect(Self.accepted(token, by: key.verifier))
        let parts = token.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        let (header, payload, signature) = (parts[0], parts[1], parts[2])
        var verifier = key.verifier

        let forged: String
        switch attack {
        case .tamperedPayload:
            var claims = Self.claims
            claims.sub = "user:root"
            let other = try JWS.sign(claims, key: try SigningKey.generate(.edDSA), kid: "k")
            forged = [header, other.split(separator: ".")[1].description, signature].joined(separator: ".")
        case .tamperedHeaderKid:
            let rewritten = Base64URL.encode(TestBytes.utf8(#"{"alg":"EdDSA","kid":"other","typ":"JWT"}"#))
            forged = [rewritten, payload, signature].joined(separator: ".")
        case .swappedSignature:
            let other = try JWS.sign(Self.claims, key: try SigningKey.generate(.edDSA), kid: "k")
            forged = [header, payload, String(other.split(separator: ".")[2])].joined(separator: ".")
        case .paddedSignature:
            forged = token + "=="  // 86 chars + "==" is the padded spelling
        case .paddedPayload:
            forged = [header, payload + "=", signature].joined(separator: ".")
        case .doublePadded:
            forged = [header + "==", payload, signature + "=="].joined(separator: ".")
        case .nonCanonicalSignatureBits:
            // 64 bytes = 86 symbols; the last carries 4 unused bits, now set to 1.
            let last = try #require(signature.last)
            let bumped: Character = ["A": "B", "Q": "R", "g": "h", "w": "x"][last] ?? "?"
            forged = [header, payload, String(signature.dropLast()) + String(bumped)].joined(separator: ".")
            #expect(Base64URL.decodeStrict(String(signature.dropLast()) + String(bumped)) == nil)
        case .plusInPart:
            forged = [header, payload, "+" + signature.dropFirst()].joined(separator: ".")
        case .slashInPart:
            forged = ["/" + header.dropFirst(), payload, signature].joined(separator: ".")
        case .twoParts:
            forged = [header, payload].joined(separator: ".")
        case .fourParts:
            forged = token + "." + signature
        case .emptyPart:
            forged = ["", payload, signature].joined(separator: ".")
        case .emptySignature:
            forged = [header, payload, ""].joined(separator: ".")
        case .trailingDot:
            forged = token + "."
        case .leadingDot:
            forged = "." + token
        case .oversize:
            var claims = Self.claims
            claims.sub = String(repeating: "x", count: 6200)
            forged = try JWS.sign(claims, key: key, kid: "k")
            #expect(forged.utf8.count > JWS.maximumTokenBytes)
        case .truncatedByOne:
            forged = String(token.dropLast())
        case .truncatedByTwo:
            forged = String(token.dropLast(2))
        case .whitespace:
            forged = [header, " " + payload, signature].joined(separator: ".")
        case .nonASCII:
            forged = [header, payload, "é" + signature.dropFirst(2)].joined(separator: ".")
        case .algRewrittenToES256:
            let rewritten = Base64URL.encode(TestBytes.utf8(#"{"alg":"ES256","kid":"k","typ":"JWT"}"#))
            forged = [rewritten, payload, signature].joined(separator: ".")
            verifier = try SigningKey.generate(.es256).verifier
        case .verifiedWithES256Key:
            forged = token
            verifier = try SigningKey.generate(.es256).verifier
        case .algMislabelledButSignedBySameKey:
            // A genuine Ed25519 signature, but the header claims ES256: the key's
            // algorithm, not the header's, must decide.
            forged = try Self.craft(header: #"{"alg":"ES256","kid":"k","typ":"JWT"}"#, key: key)
        }

        #expect(!Self.accepted(forged, by: verifier))
        if attack.refusedByDecode {
            #expect(throws: JWSError.self) { try JWS.decode(forged) }
        }
    }

    @Test func sizeLimitIsExactlyEightKiB() throws {
        let key = try SigningKey.generate(.edDSA)
        let base = try JWS.sign(Self.claims, key: key, kid: "k").utf8.count
        // Grow sub until the token is as close to the limit as base64 allows.
        var claims = Self.claims
        var token = ""
        for extra in stride(from: (JWS.maximumTokenBytes - base) * 3 / 4 - 8, through: (JWS.maximumTokenBytes - base) * 3 / 4 + 8, by: 1) {
            claims.sub = Self.claims.sub + String(repeating: "y", count: extra)
            let candidate = try JWS.sign(claims, key: key, kid: "k")
            if candidate.utf8.count <= JWS.maximumTokenBytes { token = candidate }
        }
        #expect(token.utf8.count > JWS.maximumTokenBytes - 4)
        #expect(Self.accepted(token, by: key.verifier))
        #expect(throws: JWSError.malformed("token too large")) {
            try JWS.decode(String(repeating: "A", count: JWS.maximumTokenBytes + 1))
        }
    }

    @Test func rfc8037ExampleLacksKidSoIsRefused() throws {
        // Genuine EdDSA JWS from RFC 8037 A.4, but its header has no "kid".
        let token = SigningKeyTests.rfcSigningInput + "." + SigningKeyTests.rfcSignature
        #expect(throws: JWSError.malformed("missing kid")) { try JWS.decode(token) }
    }

    @Test func errorsNeverEchoTheToken() throws {
        let key = try SigningKey.generate(.edDSA)
        let token = try Self.craft(header: #"{"alg":"none","kid":"secret-kid"}"#, key: key)
        do {
            _ = try JWS.decode(token)
            Issue.record("decode accepted alg none")
        } catch {
            guard case .malformed(let reason) = error else { return }
            #expect(!reason.contains("secret-kid"))
            #expect(!reason.contains(token.prefix(10)))
            #expect(reason.utf8.count < 64)
        }
    }
}
