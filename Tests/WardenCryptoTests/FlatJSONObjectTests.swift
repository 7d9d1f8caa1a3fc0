import Testing
@testable import WardenCrypto

/// The byte-level fast reader of the JSON Warden writes into tokens: it takes exactly
/// that strict form, leaves everything else to `JSONSerialization`, and never reads
/// anything differently from it.
@Suite struct FlatJSONObjectTests {
    static let header = #"{"alg":"EdDSA","kid":"key-1","typ":"JWT"}"#
    static let payload = #"{"aud":"warden","exp":1700000900,"iat":1700000000,"iss":"https://warden.example","jti":"3f6c2a","nbf":1700000000,"sub":"user:alice"}"#

    static func flat(_ text: String) -> FlatJSONObject? { FlatJSONObject(TestBytes.utf8(text)) }

    @Test func readsTheHeaderWardenWrites() throws {
        let object = try #require(Self.flat(Self.header))
        #expect(object.members.map(\.name) == ["alg", "kid", "typ"])
        #expect(object.value("alg") == .string("EdDSA"))
        #expect(object.value("kid") == .string("key-1"))
        #expect(object.value("typ") == .string("JWT"))
        #expect(object.value("cty") == nil)
    }

    @Test func readsTheClaimsWardenWrites() throws {
        let object = try #require(Self.flat(Self.payload))
        #expect(object.value("iss") == .string("https://warden.example"))
        #expect(object.value("sub") == .string("user:alice"))
        #expect(object.value("exp") == .integer(1_700_000_900))
        #expect(object.value("nbf") == .integer(1_700_000_000))
    }

    @Test(arguments: [("0", Int64(0)), ("7", 7), ("9223372036854775807", Int64.max)])
    func readsIntegersUpToInt64Max(_ text: String, _ value: Int64) throws {
        let object = try #require(Self.flat(#"{"exp":\#(text)}"#))
        #expect(object.value("exp") == .integer(value))
    }

    @Test func readsEmptyStringValues() throws {
        let object = try #require(Self.flat(#"{"kid":""}"#))
        #expect(object.value("kid") == .string(""))
    }

    /// Valid JSON outside the strict form, and invalid JSON: the fast reader declines
    /// both (the general path then accepts or refuses, as before).
    @Test(arguments: [
        // duplicate members (the general path keeps the last)
        #"{"alg":"none","alg":"EdDSA","kid":"k"}"#,
        #"{"exp":1,"exp":2}"#,
        // escapes, even harmless ones
        #"{"kid":"a\"b"}"#, #"{"kid":"a\\b"}"#, #"{"kid":"a\/b"}"#, #"{"kid":"\u0041"}"#, #"{"k\u0069d":"x"}"#,
        // whitespace anywhere
        #" {"kid":"k"}"#, #"{ "kid":"k"}"#, #"{"kid" :"k"}"#, #"{"kid": "k"}"#, #"{"kid":"k" }"#,
        #"{"kid":"k"} "#, "{\"kid\":\"k\"}\n", "{\"kid\":\"k\",\t\"alg\":\"EdDSA\"}",
        // numbers out of range or not plain non-negative integers
        #"{"exp":9223372036854775808}"#, #"{"exp":18446744073709551615}"#, #"{"exp":99999999999999999999}"#,
        #"{"exp":-1}"#, #"{"exp":-0}"#, #"{"exp":01}"#, #"{"exp":00}"#, #"{"exp":1.0}"#, #"{"exp":1e3}"#,
        #"{"exp":1E3}"#, #"{"exp":1.5}"#, #"{"exp":+1}"#, #"{"exp":0x10}"#, #"{"exp":1 }"#,
        // other value types and nesting
        #"{"exp":true}"#, #"{"exp":false}"#, #"{"exp":null}"#, #"{"aud":["warden"]}"#, #"{"jwk":{"kty":"OKP"}}"#,
        #"{"x":[[[[{}]]]]}"#, #"{"a":{}}"#,
        // text that is not printable ASCII
        "{\"sub\":\"é\"}", "{\"sub\":\"a\u{7F}\"}", "{\"sub\":\"a\tb\"}", "{\"sub\":\"\u{0}\"}", "{\"é\":\"x\"}",
        // not one complete object
        "", "{", "}", "{}", #"{"kid":"k""#, #"{"kid":"k"}}"#, #"{"kid":"k"}x"#, #"{"kid":"k",}"#, #"{,"kid":"k"}"#,
        #"{"kid""k"}"#, #"{"kid":}"#, #"{"":"x"}"#, #"{kid:"k"}"#, #"{'kid':'k'}"#, #"["kid","k"]"#, #""kid""#, "17",
        // more members than any token holds
        "{" + (0..<17).map { #""m\#($0)":\#($0)"# }.joined(separator: ",") + "}",
    ])
    func declinesAnythingOutsideTheStrictForm(_ text: String) {
        #expect(Self.flat(text) == nil)
    }

    /// What the fast reader accepts, the general path reads the same way; what it
    /// declines, `JSONObjectReader` hands to the general path.
    static func agreesWithTheGeneralPath(_ bytes: [UInt8], sourceLocation: SourceLocation = #_sourceLocation) {
        let reader = JSONObjectReader(bytes)
        let general = JSONObjectReader(general: bytes)
        guard FlatJSONObject(bytes) != nil else {
            #expect(reader?.isFlat != true, sourceLocation: sourceLocation)
            #expect((reader == nil) == (general == nil), sourceLocation: sourceLocation)
            return
        }
        guard let reader, let general else {
            Issue.record("the fast reader took bytes the general path refuses", sourceLocation: sourceLocation)
            return
        }
        #expect(reader.isFlat, sourceLocation: sourceLocation)
        #expect(reader.names == general.names, sourceLocation: sourceLocation)
        for name in general.names.union(["alg", "kid", "typ", "exp", "missing"]) {
            #expect(reader.string(name) == general.string(name), "\(name)", sourceLocation: sourceLocation)
            #expect(reader.nonNegativeInteger(name) == general.nonNegativeInteger(name), "\(name)", sourceLocation: sourceLocation)
            #expect(reader.contains(name) == general.contains(name), "\(name)", sourceLocation: sourceLocation)
        }
    }

    @Test func agreesWithTheGeneralPathOnTheTokensWardenWrites() {
        Self.agreesWithTheGeneralPath(TestBytes.utf8(Self.header))
        Self.agreesWithTheGeneralPath(TestBytes.utf8(Self.payload))
        Self.agreesWithTheGeneralPath(TestBytes.utf8(#"{"exp":9223372036854775807,"iat":0,"kid":""}"#))
    }

    /// Every one-byte change of a real payload, to bytes that matter to JSON: the fast
    /// reader either declines or reads exactly what `JSONSerialization` reads.
    @Test func agreesWithTheGeneralPathOnEveryOneByteChange() {
        let base = TestBytes.utf8(#"{"alg":"EdDSA","exp":1700000900,"iat":0,"kid":"k1","typ":"JWT"}"#)
        let replacements = Array(#"{}[]",:"\ 0159-+.eEtnu"#.utf8) + [0x00, 0x09, 0x0A, 0x7F, 0xC3, 0xFF]
        for position in base.indices {
            for replacement in replacements where replacement != base[position] {
                var bytes = base
                bytes[position] = replacement
                Self.agreesWithTheGeneralPath(bytes)
                bytes.insert(replacement, at: position)
                Self.agreesWithTheGeneralPath(bytes)
            }
            var shorter = base
            shorter.remove(at: position)
            Self.agreesWithTheGeneralPath(shorter)
        }
    }
}
