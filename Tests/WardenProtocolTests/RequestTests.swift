import Testing
import WardenProtocol

/// How a line becomes a command and its arguments (SPEC §2): the first word, or the
/// first two for the groups `USER ROLE SYSTEM TOKEN KEY APIKEY AUDIT`, case-insensitive.
@Suite struct RequestTests {
    struct Resolution: Sendable, CustomTestStringConvertible {
        var line: String
        var command: String
        var arguments: [String]

        init(_ line: String, _ command: String, _ arguments: [String] = []) {
            self.line = line
            self.command = command
            self.arguments = arguments
        }

        var testDescription: String { "\(line) → \(command)" }
    }

    static let resolutions: [Resolution] = [
        Resolution("PING", "PING"),
        Resolution("ping", "PING"),
        Resolution("HeLLo", "HELLO"),
        Resolution("CHECK alice payroll read", "CHECK", ["alice", "payroll", "read"]),
        Resolution("grant alice eng until=2026-11-25T10:00:00Z", "GRANT", ["alice", "eng", "until=2026-11-25T10:00:00Z"]),
        Resolution("USER ADD alice", "USER ADD", ["alice"]),
        Resolution("user add Alice", "USER ADD", ["Alice"]),
        Resolution("User Show alice", "USER SHOW", ["alice"]),
        Resolution("role list", "ROLE LIST"),
        Resolution("ROLE GRANT eng payroll read", "ROLE GRANT", ["eng", "payroll", "read"]),
        Resolution("system add payroll permissions=read,write", "SYSTEM ADD", ["payroll", "permissions=read,write"]),
        Resolution("token issue svc aud=payroll", "TOKEN ISSUE", ["svc", "aud=payroll"]),
        Resolution("key rotate", "KEY ROTATE"),
        Resolution("apikey create svc", "APIKEY CREATE", ["svc"]),
        Resolution("AUDIT", "AUDIT"),
        Resolution("audit", "AUDIT"),
        Resolution("AUDIT VERIFY", "AUDIT VERIFY"),
        Resolution("audit verify", "AUDIT VERIFY"),
        Resolution("AUDIT since=3", "AUDIT", ["since=3"]),
        Resolution("AUDIT limit=5 since=3", "AUDIT", ["limit=5", "since=3"]),
        // Only VERIFY is a subcommand of AUDIT; anything else stays an argument.
        Resolution("AUDIT alice", "AUDIT", ["alice"]),
        // A group word alone, or followed by an option, is left for the dispatcher to refuse.
        Resolution("USER", "USER"),
        Resolution("user name=x", "USER", ["name=x"]),
        Resolution("   KEY    LIST   ", "KEY LIST"),
    ]

    @Test(arguments: resolutions)
    func resolvesCommand(_ resolution: Resolution) throws {
        let request = try #require(try Request.parse(line: Array(resolution.line.utf8)))
        #expect(request.command == resolution.command)
        #expect(request.arguments.map(\.text) == resolution.arguments)
    }

    @Test func anEmptyLineIsNoRequest() throws {
        #expect(try Request.parse(line: [UInt8]()) == nil)
        #expect(try Request.parse(line: Array("   ".utf8)) == nil)
    }

    @Test func argumentsKeepTheirOptionsAndQuoting() throws {
        let request = try #require(try Request.parse(line: Array(#"USER ADD alice name="Alice Smith" "kind=x""#.utf8)))
        #expect(request.command == "USER ADD")
        #expect(request.arguments.map(ParsedWord.init) == [
            ParsedWord("alice"),
            ParsedWord("name=Alice Smith", key: "name", value: "Alice Smith"),
            ParsedWord("kind=x"),
        ])
    }

    @Test func aLineThatDoesNotParseIsRefusedWithItsReason() {
        #expect(throws: ProtocolError.unterminatedQuote) { try Request.parse(line: Array(#"USER ADD "alice"#.utf8)) }
    }
}
