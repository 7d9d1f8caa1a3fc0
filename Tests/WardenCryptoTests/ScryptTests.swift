import Testing
@testable import WardenCrypto

/// RFC 7914 §12 test vectors through `Scrypt.derive`, and parameter checks.
@Suite struct ScryptTests {
    struct Vector: Sendable, CustomTestStringConvertible {
        let password: String
        let salt: String
        let n: UInt64
        let r: UInt32
        let p: UInt32
        let expected: String
        var testDescription: String { "P=\"\(password)\" N=\(n) r=\(r) p=\(p)" }
    }

    // The fourth RFC 7914 vector (N = 1048576, r = 8, p = 1) needs 1 GiB and
    // several seconds; it is left out, and it also exceeds Scrypt.memoryLimit.
    static let vectors = [
        Vector(password: "", salt: "", n: 16, r: 1, p: 1, expected: """
            77 d6 57 62 38 65 7b 20 3b 19 ca 42 c1 8a 04 97 f1 6b 48 44 e3 07 4a e8 df df fa 3f ed e2 14 42
            fc d0 06 9d ed 09 48 f8 32 6a 75 3a 0f c8 1f 17 e8 d3 e0 fb 2e 0d 36 28 cf 35 e2 0c 38 d1 89 06
            """),
        Vector(password: "password", salt: "NaCl", n: 1024, r: 8, p: 16, expected: """
            fd ba be 1c 9d 34 72 00 78 56 e7 19 0d 01 e9 fe 7c 6a d7 cb c8 23 78 30 e7 73 76 63 4b 37 31 62
            2e af 30 d9 2e 22 a3 88 6f f1 09 27 9d 98 30 da c7 27 af b9 4a 83 ee 6d 83 60 cb df a2 cc 06 40
            """),
        Vector(password: "pleaseletmein", salt: "SodiumChloride", n: 16384, r: 8, p: 1, expected: """
            70 23 bd cb 3a fd 73 48 46 1c 06 cd 81 fd 38 eb fd a8 fb ba 90 4f 8e 3e a9 b5 43 f6 54 5d a1 f2
            d5 43 29 55 61 3f 0f cf 62 d4 97 05 24 2a 9a f9 e6 1e 85 dc 0d 65 1e 40 df cf 01 7b 45 57 58 87
            """),
    ]

    @Test(arguments: vectors)
    func rfc7914Vector(_ vector: Vector) throws {
        let derived = try Scrypt.derive(
            password: TestBytes.utf8(vector.password), salt: TestBytes.utf8(vector.salt),
            n: vector.n, r: vector.r, p: vector.p, length: 64)
        #expect(Hex.encode(derived) == Hex.encode(TestBytes.hex(vector.expected)))
    }

    @Test func outputLengthIsHonoured() throws {
        let short = try Scrypt.derive(password: [1], salt: [2], n: 16, r: 1, p: 1, length: 16)
        let long = try Scrypt.derive(password: [1], salt: [2], n: 16, r: 1, p: 1, length: 64)
        #expect(short.count == 16)
        #expect(Array(long.prefix(16)) == short)
    }

    struct BadParameters: Sendable, CustomTestStringConvertible {
        let n: UInt64
        let r: UInt32
        let p: UInt32
        let length: Int
        var testDescription: String { "N=\(n) r=\(r) p=\(p) length=\(length)" }
    }

    @Test(arguments: [
        BadParameters(n: 0, r: 1, p: 1, length: 32),
        BadParameters(n: 1, r: 1, p: 1, length: 32),
        BadParameters(n: 24, r: 1, p: 1, length: 32),  // not a power of two
        BadParameters(n: 16, r: 0, p: 1, length: 32),
        BadParameters(n: 16, r: 1, p: 0, length: 32),
        BadParameters(n: 16, r: 1, p: 1, length: 0),
        BadParameters(n: 16, r: 1, p: 1, length: -1),
        BadParameters(n: 16, r: 1, p: 1, length: 1025),
        BadParameters(n: 1 << 30, r: 32, p: 1, length: 32),  // 4 TiB
        BadParameters(n: 1 << 63, r: UInt32.max, p: UInt32.max, length: 32),  // overflow
    ])
    func refusesParametersOutsideTheDomain(_ bad: BadParameters) {
        #expect(throws: CryptoError.invalidParameters) {
            try Scrypt.derive(password: [1], salt: [2], n: bad.n, r: bad.r, p: bad.p, length: bad.length)
        }
    }

    @Test func owaspMinimumFitsTheMemoryLimit() throws {
        let needed = try #require(Scrypt.requiredMemory(n: 1 << 17, r: 8, p: 1))
        #expect(needed > 128 * 1024 * 1024)
        #expect(needed <= Scrypt.memoryLimit)
    }
}
