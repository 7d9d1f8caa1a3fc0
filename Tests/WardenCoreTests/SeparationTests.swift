import Testing
import WardenCore

/// Separation of duties (SPEC §10) as a decision table: what a user holds (roles
/// through inclusion, entitlements as `CHECK` sees them, live grants only) against a
/// rule's two sides, with how each side is held.
@Suite struct SeparationTests {
    typealias U = Fixture.U

    static let directory = Fixture.directory([
        U("alice", [.role("lead")]),
        U("bob", [.role("viewer"), .role("dev")]),
        U("carol", [.role("editor", until: Fixture.past), .role("dev")]),
        U("dave", [.direct(Fixture.payrollWrite), .role("dev")]),
        U("erin", .disabled, [.role("lead"), .role("dev")]),
        U("frank", [.role("dev")]),
    ])

    /// `lead` ⊃ `editor` ⊃ `viewer` (three levels); `dev` gives github:read.
    static let readAndCode = SeparationRule(name: "read-and-code", left: .role("viewer"), right: .role("dev"))
    static let writeAndCode = SeparationRule(
        name: "write-and-code", left: .entitlement(Fixture.payrollWrite), right: .entitlement(Fixture.githubRead))

    struct Row: Sendable, CustomTestStringConvertible {
        var why: String
        var user: String
        var adding: [GrantTarget]
        var rule: SeparationRule
        /// nil: no breach; else (left-via, right-via).
        var breach: (String, String)?

        var testDescription: String { "\(why): \(user) + \(adding) against \(rule.name)" }
    }

    static let rows: [Row] = [
        Row(why: "a role held three levels down counts", user: "alice", adding: [.role("dev")], rule: readAndCode,
            breach: ("role:lead", "role:dev")),
        Row(why: "both roles granted directly", user: "bob", adding: [], rule: readAndCode, breach: ("role:viewer", "role:dev")),
        Row(why: "an expired grant does not count", user: "carol", adding: [], rule: readAndCode, breach: nil),
        Row(why: "an entitlement held directly", user: "dave", adding: [], rule: writeAndCode, breach: ("direct", "role:dev")),
        Row(why: "an entitlement through inclusion", user: "alice", adding: [.role("dev")], rule: writeAndCode,
            breach: ("role:lead", "role:dev")),
        Row(why: "one side only", user: "frank", adding: [], rule: readAndCode, breach: nil),
        Row(why: "a grant would add the other side", user: "frank", adding: [.role("viewer")], rule: readAndCode,
            breach: ("role:viewer", "role:dev")),
        Row(why: "a direct grant of the entitlement", user: "frank", adding: [.entitlement(Fixture.payrollWrite)], rule: writeAndCode,
            breach: ("direct", "role:dev")),
        Row(why: "a role that gives only read is not write", user: "frank", adding: [.role("viewer")], rule: writeAndCode, breach: nil),
    ]

    @Test(arguments: rows) func holdingsAgainstARule(_ row: Row) {
        let holdings = Self.directory.holdings(of: row.user, at: Fixture.now, adding: row.adding)
        let breach = Directory.breach(of: [row.rule], by: holdings)
        if let expected = row.breach {
            #expect(breach?.rule == row.rule)
            #expect(breach?.leftVia == expected.0)
            #expect(breach?.rightVia == expected.1)
        } else {
            #expect(breach == nil)
        }
    }

    @Test func theReportListsEnabledUsersWhoHoldBothSidesNow() {
        let report = Self.directory.separationReport([Self.readAndCode, Self.writeAndCode], at: Fixture.now)
        // erin holds both but is disabled; carol's editor grant expired.
        #expect(report.map { "\($0.user) \($0.breach.rule.name) \($0.breach.leftVia) \($0.breach.rightVia)" } == [
            "bob read-and-code role:viewer role:dev",
            "dave write-and-code direct role:dev",
        ])
    }

    @Test func aChangeToARoleReachesTheHoldersOfEveryRoleThatIncludesIt() {
        #expect(Self.directory.enabledHolders(reaching: "viewer", at: Fixture.now).sorted() == ["alice", "bob"])
        #expect(Self.directory.enabledHolders(reaching: "editor", at: Fixture.now) == ["alice"])
        #expect(Self.directory.enabledHolders(reaching: "dev", at: Fixture.now).sorted() == ["bob", "carol", "dave", "frank"])
    }

    @Test(arguments: ["role:Viewer", "system:payroll:write", "role:x.y"])
    func sidesParseAndPrintBack(_ text: String) throws {
        #expect(try SeparationRule.Side.parse(text).description == text.lowercased())
    }

    @Test(arguments: ["viewer", "role:", "system:payroll", "group:x", "role:a:b", "system:a:b:c"])
    func malformedSidesAreInvalid(_ text: String) {
        #expect(throws: WardenError.self) { try SeparationRule.Side.parse(text) }
    }
}
