import Testing
@testable import WardenCrypto

/// scrypt PHC strings: making, parsing, verifying, and refusing malformed input.
@Suite struct PasswordHashTests {
    /// Cheap parameters so tests stay fast; production uses `owaspMinimum`.
    static let fast = ScryptParameters(ln: 4, r: 8, p: 1)

    /// Made independently (Python hashlib.scrypt) for "correct horse battery staple",
    /// salt "saltsaltsaltsalt".
    static let knownPHC = "$scrypt$ln=4,r=8,p=1$c2FsdHNhbHRzYWx0c2FsdA$jkBzE6t+3YTzAuQ1ol2ZxJUOk0akIbgat0w+kf21AT0"

    @Test func makeProducesCanonicalPHC() throws {
        let made = try PasswordHash.make(password: "hunter2", parameters: Self.fast)
        let phc = made.phc
        #expect(phc.wholeMatch(of: /\$scrypt\$ln=\d+,r=\d+,p=\d+\$[A-Za-z0-9+\/]+\$[A-Za-z0-9+\/]+/) != nil)
        #expect(phc.hasPrefix("$scrypt$ln=4,r=8,p=1$"))
        #expect(made.salt.count == 16)
        #expect(made.hash.count == 32)
    }

    @Test func parseRoundTrip() throws {
        let made = try PasswordHash.make(password: "hunter2", parameters: Self.fast)
        let parsed = try PasswordHash(phc: made.phc)
        #expect(parsed == made)
        #expect(parsed.phc == made.phc)
        #expect(parsed.parameters == Self.fast)
    }

    @Test func verifyAcceptsOnlyTheRightPassword() throws {
        let made = try PasswordHash.make(password: "hunter2", parameters: Self.fast)
        let parsed = try PasswordHash(phc: made.phc)
        #expect(try parsed.verify(password: "hunter2"))
        #expect(try !parsed.verify(password: "hunter3"))
        #expect(try !parsed.verify(password: "Hunter2"))
        #expect(try !parsed.verify(password: ""))
    }

    @Test func saltsAreFresh() throws {
        let a = try PasswordHash.make(password: "same", parameters: Self.fast)
        let b = try PasswordHash.make(password: "same", parameters: Self.fast)
        #expect(a.salt != b.salt)
        #expect(a.hash != b.hash)
    }

    @Test func verifiesAHashMadeElsewhere() throws {
        let parsed = try PasswordHash(phc: Self.knownPHC)
        #expect(parsed.phc == Self.knownPHC)
        #expect(try parsed.verify(password: "correct horse battery staple"))
        #expect(try !parsed.verify(password: "correct horse battery stapler"))
    }

    @Test func owaspMinimumWorksEndToEnd() throws {
        // N = 2^17, r = 8 needs about 128 MiB; this fails if maxmem_bytes is left at
        // OpenSSL's 32 MiB default.
        let made = try PasswordHash.make(password: "pw", parameters: .owaspMinimum)
        #expect(made.phc.hasPrefix("$scrypt$ln=17,r=8,p=1$"))
        #expect(try made.verify(password: "pw"))
    }

    @Test func emptyAndUnicodePasswords() throws {
        for password in ["", "pässwörd", "🔑🔑", "a\u{0}b"] {
            let made = try PasswordHash.make(password: password, parameters: Self.fast)
            #expect(try made.verify(password: password))
            #expect(try !made.verify(password: password + "x"))
        }
    }

    static let salt = "c2FsdHNhbHRzYWx0c2FsdA"  // 16 bytes
    static let hash = "jkBzE6t+3YTzAuQ1ol2ZxJUOk0akIbgat0w+kf21AT0"  // 32 bytes

    @Test(arguments: [
        "",
        "$",
        "$scrypt",
        "$scrypt$ln=4,r=8,p=1",
        "$scrypt$ln=4,r=8,p=1$\(salt)",
        "$scrypt$ln=4,r=8,p=1$\(salt)$",
        "$scrypt$ln=4,r=8,p=1$$\(hash)",
        "$scrypt$ln=4,r=8,p=1$\(salt)$\(hash)$",
        "scrypt$ln=4,r=8,p=1$\(salt)$\(hash)",
        " $scrypt$ln=4,r=8,p=1$\(salt)$\(hash)",
        "$scrypt$ln=4,r=8,p=1$\(salt)$\(hash) ",
        "$argon2id$ln=4,r=8,p=1$\(salt)$\(hash)",
        "$SCRYPT$ln=4,r=8,p=1$\(salt)$\(hash)",
        "$scrypt$ln=4,r=8$\(salt)$\(hash)",
        "$scrypt$ln=4,r=8,p=1,x=2$\(salt)$\(hash)",
        "$scrypt$r=8,ln=4,p=1$\(salt)$\(hash)",
        "$scrypt$n=16,r=8,p=1$\(salt)$\(hash)",
        "$scrypt$ln=0,r=8,p=1$\(salt)$\(hash)",
        "$scrypt$ln=31,r=8,p=1$\(salt)$\(hash)",
        "$scrypt$ln=4,r=0,p=1$\(salt)$\(hash)",
        "$scrypt$ln=4,r=33,p=1$\(salt)$\(hash)",
        "$scrypt$ln=4,r=8,p=0$\(salt)$\(hash)",
        "$scrypt$ln=4,r=8,p=17$\(salt)$\(hash)",
        "$scrypt$ln=+4,r=8,p=1$\(salt)$\(hash)",
        "$scrypt$ln=-4,r=8,p=1$\(salt)$\(hash)",
        "$scrypt$ln=04,r=8,p=1$\(salt)$\(hash)",
        "$scrypt$ln= 4,r=8,p=1$\(salt)$\(hash)",
        "$scrypt$ln=,r=8,p=1$\(salt)$\(hash)",
        "$scrypt$ln=x,r=8,p=1$\(salt)$\(hash)",
        "$scrypt$ln=99999999999999999999999,r=8,p=1$\(salt)$\(hash)",
        "$scrypt$ln==4,r=8,p=1$\(salt)$\(hash)",
        "$scrypt$ln=4,r=8,p=1$\(salt)==$\(hash)",
        "$scrypt$ln=4,r=8,p=1$\(salt)$\(hash)=",
        "$scrypt$ln=4,r=8,p=1$!!!!$\(hash)",
        "$scrypt$ln=4,r=8,p=1$c2FsdHNhbHRzYWx0c2FsdB$\(hash)",  // non-canonical trailing bits
        "$scrypt$ln=4,r=8,p=1$c2Fsd-NhbHRzYWx0c2FsdA$\(hash)",  // URL alphabet
        "$scrypt$ln=4,r=8,p=1$c2Fsd HNhbHRzYWx0c2FsdA$\(hash)",
        "$scrypt$ln=4,r=8,p=1$MTIzNDU2Nw$\(hash)",  // 7-byte salt
        "$scrypt$ln=4,r=8,p=1$\(salt)$AAAAAAAAAAAAAAAAAAAA",  // 15-byte hash
        "$scrypt$ln=4,r=8,p=1$\(salt)$\(String(repeating: "A", count: 100))",  // 75-byte hash
        "$scrypt$ln=4,r=8,p=1$\(salt)$\(String(repeating: "A", count: 10_000))",
    ])
    func malformedPHCIsRefused(_ phc: String) {
        #expect(throws: CryptoError.malformedPHC) { try PasswordHash(phc: phc) }
    }

    @Test func boundaryValuesParse() throws {
        let minimum = try PasswordHash(phc: "$scrypt$ln=1,r=1,p=1$MTIzNDU2Nzg$AAAAAAAAAAAAAAAAAAAAAA")
        #expect(minimum.parameters == ScryptParameters(ln: 1, r: 1, p: 1))
        #expect(minimum.salt.count == 8)
        #expect(minimum.hash.count == 16)
        let maximum = try PasswordHash(phc: "$scrypt$ln=30,r=32,p=16$\(Self.salt)$\(Self.hash)")
        #expect(maximum.parameters == ScryptParameters(ln: 30, r: 32, p: 16))
    }

    @Test func parametersTooCostlyToRunFailWithoutCrashing() throws {
        // Parses (within PHC bounds) but needs 4 TiB: verify must throw, not allocate.
        let parsed = try PasswordHash(phc: "$scrypt$ln=30,r=32,p=16$\(Self.salt)$\(Self.hash)")
        #expect(throws: CryptoError.invalidParameters) { try parsed.verify(password: "x") }
    }

    @Test(arguments: [
        ScryptParameters(ln: 0, r: 8, p: 1),
        ScryptParameters(ln: 31, r: 8, p: 1),
        ScryptParameters(ln: 4, r: 0, p: 1),
        ScryptParameters(ln: 4, r: 8, p: 17),
        ScryptParameters(ln: -1, r: -1, p: -1),
    ])
    func makeRefusesParametersItCouldNotParseBack(_ parameters: ScryptParameters) {
        #expect(throws: CryptoError.invalidParameters) {
            try PasswordHash.make(password: "x", parameters: parameters)
        }
    }

    @Test func weakerParameters() {
        let policy = ScryptParameters.owaspMinimum
        #expect(ScryptParameters(ln: 16, r: 8, p: 1).isWeaker(than: policy))
        #expect(ScryptParameters(ln: 17, r: 4, p: 1).isWeaker(than: policy))
        #expect(ScryptParameters(ln: 18, r: 8, p: 0).isWeaker(than: policy))
        #expect(!policy.isWeaker(than: policy))
        #expect(!ScryptParameters(ln: 18, r: 8, p: 2).isWeaker(than: policy))
        #expect(policy == ScryptParameters(ln: 17, r: 8, p: 1))
    }
}
