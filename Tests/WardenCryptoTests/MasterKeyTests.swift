import Testing
@testable import WardenCrypto

/// The master key and what is derived from it: HKDF-SHA256 (RFC 5869) and
/// HMAC-SHA256 (RFC 4231) through EVP, checked against the RFCs' vectors.
@Suite struct MasterKeyTests {
    @Test func hkdfMatchesRFC5869TestCase3() throws {
        let okm = try HKDF.sha256(key: [UInt8](repeating: 0x0B, count: 22), info: "", length: 42)
        #expect(Hex.encode(okm) == "8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8")
    }

    @Test func hmacMatchesRFC4231TestCase2() throws {
        let key = try HMACKey(key: Array("Jefe".utf8))
        let tag = key.tag(Array("what do ya want for nothing?".utf8))
        #expect(Hex.encode(tag) == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
        #expect(key.verify(tag, of: Array("what do ya want for nothing?".utf8)))
        #expect(!key.verify(tag, of: Array("what do ya want for nothing!".utf8)))
    }

    @Test func aKeyFileHoldsRawOrBase64Bytes() throws {
        let raw = (0..<32).map { UInt8($0) }
        let key = try MasterKey(fileContents: raw)
        #expect(try MasterKey(fileContents: Array((Base64.encodeNoPadding(raw) + "\n").utf8)).derive(.auditChain) == key.derive(.auditChain))
        #expect(throws: CryptoError.self) { try MasterKey(fileContents: Array("too short".utf8)) }
        #expect(throws: CryptoError.self) { try MasterKey(fileContents: raw + [0]) }
    }

    @Test func eachPurposeHasItsOwnKeyAndNoneIsPrinted() throws {
        let key = MasterKey.generate()
        #expect(key.derive(.auditChain) != key.derive(.keyCheck))
        #expect(key.derive(.auditChain) != key.fileContents)
        #expect("\(key)" == "MasterKey(redacted)")
        #expect(!String(reflecting: key).contains(Hex.encode(key.fileContents)))
    }
}
