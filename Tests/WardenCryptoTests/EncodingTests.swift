import Testing
@testable import WardenCrypto

/// Base64URL / Base64 strictness and Hex.
@Suite struct EncodingTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let text: String
        let expected: [UInt8]?
        var testDescription: String { "\"\(text.debugDescription)\" -> \(expected.map { Hex.encode($0) } ?? "nil")" }
    }

    @Test(arguments: [
        Case(text: "", expected: []),
        Case(text: "AA", expected: [0]),
        Case(text: "AAA", expected: [0, 0]),
        Case(text: "AAAA", expected: [0, 0, 0]),
        Case(text: "Zm9vYmFy", expected: Array("foobar".utf8)),
        Case(text: "Zm9vYg", expected: Array("foob".utf8)),
        Case(text: "Zm9vYmE", expected: Array("fooba".utf8)),
        Case(text: "-w", expected: [0xFB]),
        Case(text: "_-8", expected: [0xFF, 0xEF]),
        // Length 1 mod 4 can encode nothing.
        Case(text: "A", expected: nil),
        Case(text: "AAAAA", expected: nil),
        // Padding is not base64url as JWS uses it.
        Case(text: "AA==", expected: nil),
        Case(text: "AA=", expected: nil),
        Case(text: "Zm9vYmE=", expected: nil),
        Case(text: "=", expected: nil),
        // Non-canonical trailing bits: same bytes as "AA", "AAA", "-w".
        Case(text: "AB", expected: nil),
        Case(text: "AP", expected: nil),
        Case(text: "AAB", expected: nil),
        Case(text: "-x", expected: nil),
        Case(text: "Zm9vYh", expected: nil),
        // Standard-alphabet symbols, whitespace, other bytes.
        Case(text: "+w", expected: nil),
        Case(text: "/w", expected: nil),
        Case(text: "AA AA", expected: nil),
        Case(text: "AAAA\n", expected: nil),
        Case(text: " AAAA", expected: nil),
        Case(text: "AA\tA", expected: nil),
        Case(text: "Zm9v.YmFy", expected: nil),
        Case(text: "Zm9vYmF\u{0}", expected: nil),
        Case(text: "Zm9vYmé", expected: nil),
        Case(text: "Ａ Ａ", expected: nil),
    ])
    func base64URLStrictness(_ testCase: Case) {
        #expect(Base64URL.decodeStrict(testCase.text) == testCase.expected)
    }

    @Test func base64URLAcceptsSubstrings() {
        let token = "Zm9v.YmFy"
        let parts = token.split(separator: ".")
        #expect(Base64URL.decodeStrict(parts[0]) == Array("foo".utf8))
        #expect(Base64URL.decodeStrict(parts[1]) == Array("bar".utf8))
    }

    @Test(arguments: [
        Case(text: "", expected: []),
        Case(text: "+w", expected: [0xFB]),
        Case(text: "/+8", expected: [0xFF, 0xEF]),
        Case(text: "Zm9vYg", expected: Array("foob".utf8)),
        Case(text: "-w", expected: nil),
        Case(text: "_w", expected: nil),
        Case(text: "Zm9vYg==", expected: nil),
        Case(text: "Zm9vYh", expected: nil),
        Case(text: "Zm9vY", expected: nil),
        Case(text: "Zm9v Yg", expected: nil),
    ])
    func base64StandardStrictness(_ testCase: Case) {
        #expect(Base64.decodeNoPadding(testCase.text) == testCase.expected)
    }

    @Test func encodersRoundTripEveryLength() {
        for length in 0...70 {
            let bytes = SecureRandom.bytes(length)
            let url = Base64URL.encode(bytes)
            let standard = Base64.encodeNoPadding(bytes)
            #expect(!url.contains("=") && !url.contains("+") && !url.contains("/"))
            #expect(!standard.contains("=") && !standard.contains("-") && !standard.contains("_"))
            #expect(url.utf8.count == (length * 4 + 2) / 3)
            #expect(Base64URL.decodeStrict(url) == bytes)
            #expect(Base64.decodeNoPadding(standard) == bytes)
        }
    }

    @Test func knownEncodings() {
        // RFC 4648 §10 vectors, unpadded.
        let vectors = ["": "", "f": "Zg", "fo": "Zm8", "foo": "Zm9v", "foob": "Zm9vYg", "fooba": "Zm9vYmE", "foobar": "Zm9vYmFy"]
        for (plain, encoded) in vectors {
            #expect(Base64URL.encode(Array(plain.utf8)) == encoded)
            #expect(Base64.encodeNoPadding(Array(plain.utf8)) == encoded)
        }
        #expect(Base64URL.encode([0xFB, 0xFF]) == "-_8")
        #expect(Base64.encodeNoPadding([0xFB, 0xFF]) == "+/8")
    }

    @Test func hex() {
        #expect(Hex.encode([]) == "")
        #expect(Hex.encode([0x00, 0x01, 0x7F, 0x80, 0xAB, 0xFF]) == "00017f80abff")
    }
}
