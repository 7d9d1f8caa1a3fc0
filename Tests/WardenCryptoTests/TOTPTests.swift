import Testing
@testable import WardenCrypto

/// TOTP (RFC 6238) over HMAC-SHA1 through EVP, Base32 (RFC 4648) for its secret, and
/// the recovery codes' salted hashes.
@Suite struct TOTPTests {
    /// RFC 6238 Appendix B, the SHA-1 rows: the ASCII seed "12345678901234567890",
    /// 8-digit codes.
    @Test(arguments: [
        (Int64(59), "94287082"), (1_111_111_109, "07081804"), (1_111_111_111, "14050471"),
        (1_234_567_890, "89005924"), (2_000_000_000, "69279037"), (20_000_000_000, "65353130"),
    ])
    func codesMatchRFC6238AppendixB(time: Int64, expected: String) throws {
        let totp = try TOTP(secret: Array("12345678901234567890".utf8), digits: 8)
        #expect(totp.code(step: TOTP.step(at: time)) == expected)
    }

    @Test func sixDigitCodesAreTheLastSixOfTheTruncation() throws {
        // RFC 4226 Appendix D: HOTP values for counters 0 and 1 with the same seed.
        let totp = try TOTP(secret: Array("12345678901234567890".utf8))
        #expect(totp.code(step: 0) == "755224")
        #expect(totp.code(step: 1) == "287082")
    }

    @Test func stepsMatchingACodeAreFoundInTheWindowOnly() throws {
        let totp = try TOTP(secret: TOTP.newSecret())
        let step: Int64 = 58_000_000
        for offset in -1...1 {
            #expect(totp.steps(matching: totp.code(step: step + Int64(offset)), among: (step - 1)...(step + 1)).contains(step + Int64(offset)))
        }
        #expect(!totp.steps(matching: totp.code(step: step + 2), among: (step - 1)...(step + 1)).contains(step + 2))
        #expect(totp.steps(matching: "12345", among: (step - 1)...(step + 1)).isEmpty)
    }

    @Test func aNewSecretIs160RandomBits() {
        let first = TOTP.newSecret(), second = TOTP.newSecret()
        #expect(first.count == 20)
        #expect(first != second)
        #expect(Base32.encode(first).count == 32)
    }

    /// RFC 4648 §10.
    @Test(arguments: [
        ("", ""), ("f", "MY"), ("fo", "MZXQ"), ("foo", "MZXW6"), ("foob", "MZXW6YQ"), ("fooba", "MZXW6YTB"), ("foobar", "MZXW6YTBOI"),
    ])
    func base32MatchesRFC4648(plain: String, encoded: String) {
        #expect(Base32.encode(Array(plain.utf8)) == encoded)
        #expect(Base32.decode(encoded) == Array(plain.utf8))
        #expect(Base32.decode(encoded.lowercased()) == Array(plain.utf8))
    }

    @Test func base32RefusesOtherSymbols() {
        #expect(Base32.decode("MZXW1") == nil)
        #expect(Base32.decode("MZ XW") == nil)
    }

    @Test func aRecoveryCodeMatchesItsSaltedHashOnly() {
        let code = RecoveryCode.generate()
        #expect(code.count == 29)
        let stored = RecoveryCode.hash(code)
        #expect(stored.hasPrefix("sha256$"))
        #expect(!stored.contains(code.replacingOccurrences(of: "-", with: "")))
        #expect(RecoveryCode.matches(code, stored))
        #expect(RecoveryCode.matches(code.uppercased().replacingOccurrences(of: "-", with: " "), stored))
        #expect(!RecoveryCode.matches(RecoveryCode.generate(), stored))
        #expect(!RecoveryCode.matches(String(code.dropLast()), stored))
        // Salted: the same code hashes differently each time.
        #expect(RecoveryCode.hash(code) != stored)
    }
}
