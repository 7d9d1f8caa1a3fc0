import Testing
import WardenCore

/// The password policy (SPEC §2.2): at least 8 characters, at most 1,024 bytes, not the
/// username in any case, not on the built-in common-password list; else `INVALID`.
@Suite struct PasswordPolicyTests {
    /// A 16-byte block that is on no list; repeated to build long passwords.
    static let block = "Zq4!vR8#mT2@wL6$"

    struct Accepted: Sendable, CustomTestStringConvertible {
        var name: String
        var password: String
        var testDescription: String { name }
    }

    static let accepted: [Accepted] = [
        Accepted(name: "exactly 8 characters", password: "q7#Lm2!x"),
        Accepted(name: "8 characters of more than 8 bytes", password: "ééééééé€"),
        Accepted(name: "a passphrase", password: "correct horse battery staple"),
        Accepted(name: "exactly 1,024 bytes", password: String(repeating: block, count: 64)),
        Accepted(name: "containing the username", password: "alice.smith-2026!"),
    ]

    @Test(arguments: accepted)
    func accepts(_ testCase: Accepted) throws {
        try PasswordPolicy.validate(testCase.password, username: "alice.smith")
    }

    struct Refused: Sendable, CustomTestStringConvertible {
        var name: String
        var password: String
        /// A word of the message, to show which rule refused it.
        var because: String
        var testDescription: String { name }
    }

    static let refused: [Refused] = [
        Refused(name: "empty", password: "", because: "shorter"),
        Refused(name: "too short", password: "short", because: "shorter"),
        Refused(name: "7 characters", password: "q7#Lm2!", because: "shorter"),
        Refused(name: "7 characters of 14 bytes", password: "ééééééé", because: "shorter"),
        Refused(name: "1,025 bytes", password: String(repeating: block, count: 64) + "x", because: "longer"),
        Refused(name: "1,024 characters of 1,025 bytes", password: String(repeating: "x", count: 1_023) + "é", because: "longer"),
        Refused(name: "the username", password: "alice.smith", because: "username"),
        Refused(name: "the username in another case", password: "Alice.SMITH", because: "username"),
        Refused(name: "password1", password: "password1", because: "common"),
        Refused(name: "baseball", password: "baseball", because: "common"),
        Refused(name: "a common password in another case", password: "BaseBall", because: "common"),
        Refused(name: "12345678", password: "12345678", because: "common"),
    ]

    @Test(arguments: refused)
    func refuses(_ testCase: Refused) {
        let error = #expect(throws: WardenError.self) {
            try PasswordPolicy.validate(testCase.password, username: "alice.smith")
        }
        #expect(error?.code == .invalid)
        #expect(error?.message.contains(testCase.because) == true)
    }

    @Test func neverPutsThePasswordInItsMessage() {
        let error = #expect(throws: WardenError.self) { try PasswordPolicy.validate("baseball", username: "bob") }
        #expect(error?.message.contains("baseball") == false)
    }
}
