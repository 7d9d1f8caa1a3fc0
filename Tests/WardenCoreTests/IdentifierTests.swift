import Testing
import WardenCore

/// Names of users, roles, systems and permissions (SPEC §2): 1–128 characters of
/// `a-z 0-9 . _ @ -`, starting with a letter or digit, folded to lower case.
@Suite struct IdentifierTests {
    struct Valid: Sendable, CustomTestStringConvertible {
        var input: String
        var folded: String
        var testDescription: String { "\(input.prefix(40)) → \(folded.prefix(40))" }
    }

    static let valid: [Valid] = [
        Valid(input: "alice", folded: "alice"),
        Valid(input: "Alice", folded: "alice"),
        Valid(input: "ALICE.SMITH@EXAMPLE.COM", folded: "alice.smith@example.com"),
        Valid(input: "a", folded: "a"),
        Valid(input: "7", folded: "7"),
        Valid(input: "0day", folded: "0day"),
        Valid(input: "svc-ci_runner.2@build", folded: "svc-ci_runner.2@build"),
        Valid(input: "a.", folded: "a."),
        Valid(input: "a" + String(repeating: "B", count: 127), folded: "a" + String(repeating: "b", count: 127)),
    ]

    @Test(arguments: valid)
    func acceptsAndFolds(_ testCase: Valid) throws {
        #expect(try Identifier.parse(testCase.input) == testCase.folded)
        #expect(Identifier.isValid(testCase.folded))
    }

    static let invalid: [String] = [
        "",
        String(repeating: "a", count: 129),
        ".alice", "-alice", "_alice", "@alice",
        "al ice", "alice!", "a/b", "a+b", "a:b", "a,b", "a\"b", "a\tb",
        "ålice", "alicé", "日本",
        // Unicode folds these into ASCII names (`lowercased()` turns U+212A KELVIN SIGN
        // into `k`, U+0130 into `i̇`); only ASCII A-Z fold (SPEC §2, v2).
        "\u{212A}ate", "\u{212A}", "adm\u{0130}n", "\u{FF41}lice",
    ]

    @Test(arguments: invalid)
    func refuses(_ input: String) {
        #expect(!Identifier.isValid(Identifier.fold(input)))
        #expect(throws: WardenError.self) { try Identifier.parse(input) }
    }

    @Test func refusesWithINVALIDNamingWhatWasExpected() {
        let error = #expect(throws: WardenError.self) { try Identifier.parse("-x", what: "username") }
        #expect(error?.code == .invalid)
        #expect(error?.message.hasPrefix("username must be 1-128 characters") == true)
    }

    @Test func acceptsExactly128CharactersAndRefuses129() {
        #expect(Identifier.maximumLength == 128)
        #expect(Identifier.isValid(String(repeating: "x", count: 128)))
        #expect(!Identifier.isValid(String(repeating: "x", count: 129)))
    }

    @Test func isValidExpectsFoldedInput() {
        // `parse` folds; `isValid` judges text as it is, so upper case is not valid there.
        #expect(!Identifier.isValid("Alice"))
    }
}
