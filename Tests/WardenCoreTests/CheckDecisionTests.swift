import Testing
import WardenCore

/// `CHECK user system permission` as a decision table (SPEC §2.3): `ALLOW via=role:NAME`
/// (the role granted, even when a role it includes gives it) or `via=direct`, and
/// `DENY reason=no-grant|expired|disabled|unknown-user`.
@Suite struct CheckDecisionTests {
    typealias G = Fixture.G
    typealias U = Fixture.U

    static let directory = Fixture.directory([
        U("alice", [.direct(Fixture.payrollRead)]),
        U("bob", [.role("viewer")]),
        U("carol", [.role("lead")]),
        U("dave", [.direct(Fixture.payrollRead, until: Fixture.past)]),
        U("erin", [.role("viewer", until: Fixture.past), .direct(Fixture.payrollRead)]),
        U("ivan", [.direct(Fixture.payrollWrite, until: Fixture.past), .role("editor")]),
        U("frank", .disabled, [.role("viewer")]),
        U("gina", []),
        U("hank", [.role("dev")]),
        U("judy", [.role("viewer", until: Fixture.now)]),
        U("kate", [.role("viewer"), .role("editor")]),
        U("liam", [.role("viewer", until: Fixture.future)]),
        U("mia", [.direct(Fixture.payrollRead, until: Fixture.past), .role("lead", until: Fixture.past)]),
    ])

    struct Row: Sendable, CustomTestStringConvertible {
        var why: String
        var user: String
        var entitlement: Entitlement
        var decision: Decision

        init(_ why: String, _ user: String, _ entitlement: Entitlement, _ decision: Decision) {
            self.why = why
            self.user = user
            self.entitlement = entitlement
            self.decision = decision
        }

        var testDescription: String { "\(why): CHECK \(user) \(entitlement)" }
    }

    static let rows: [Row] = [
        Row("direct grant", "alice", Fixture.payrollRead, .allow(via: .direct)),
        Row("direct grant of another permission", "alice", Fixture.payrollWrite, .deny(.noGrant)),
        Row("grant via a role", "bob", Fixture.payrollRead, .allow(via: .role("viewer"))),
        Row("role without that permission", "bob", Fixture.payrollWrite, .deny(.noGrant)),
        Row("nested roles name the role granted", "carol", Fixture.payrollRead, .allow(via: .role("lead"))),
        Row("one level of nesting", "carol", Fixture.payrollWrite, .allow(via: .role("lead"))),
        Row("expired direct grant", "dave", Fixture.payrollRead, .deny(.expired)),
        Row("expired role, live direct grant", "erin", Fixture.payrollRead, .allow(via: .direct)),
        Row("expired direct grant, live role", "ivan", Fixture.payrollWrite, .allow(via: .role("editor"))),
        Row("everything expired", "mia", Fixture.payrollRead, .deny(.expired)),
        Row("grant ending at this instant", "judy", Fixture.payrollRead, .deny(.expired)),
        Row("grant ending later", "liam", Fixture.payrollRead, .allow(via: .role("viewer"))),
        Row("disabled user", "frank", Fixture.payrollRead, .deny(.disabled)),
        Row("disabled user without any grant for it", "frank", Fixture.payrollWrite, .deny(.disabled)),
        Row("unknown user", "nobody", Fixture.payrollRead, .deny(.unknownUser)),
        Row("user without grants", "gina", Fixture.payrollRead, .deny(.noGrant)),
        Row("grants on another system only", "hank", Fixture.payrollRead, .deny(.noGrant)),
        Row("permission of the same name on another system", "bob", Fixture.githubRead, .deny(.noGrant)),
        Row("unregistered system", "bob", Entitlement(system: "nosuch", permission: "read"), .deny(.noGrant)),
        Row("two roles give it: the first by name", "kate", Fixture.payrollRead, .allow(via: .role("editor"))),
    ]

    @Test(arguments: rows)
    func decides(_ row: Row) {
        #expect(CheckDecisionTests.directory.check(user: row.user, row.entitlement, at: Fixture.now) == row.decision)
    }

    @Test func judgesADisabledUserByGrantsWhenAskedToIgnoreStatus() {
        let directory = CheckDecisionTests.directory
        #expect(directory.check(user: "frank", Fixture.payrollRead, at: Fixture.now, ignoringStatus: true)
            == .allow(via: .role("viewer")))
        #expect(directory.check(user: "frank", Fixture.payrollWrite, at: Fixture.now, ignoringStatus: true)
            == .deny(.noGrant))
    }

    @Test func aGrantStopsCountingAtItsUntil() {
        let directory = CheckDecisionTests.directory
        let justBefore = Timestamp(milliseconds: Fixture.future.milliseconds - 1)
        #expect(directory.check(user: "liam", Fixture.payrollRead, at: justBefore).isAllowed)
        #expect(directory.check(user: "liam", Fixture.payrollRead, at: Fixture.future) == .deny(.expired))
    }

    @Test func removingARoleTakesAwayWhatItGave() {
        var directory = CheckDecisionTests.directory
        directory.removeRole("viewer")
        #expect(directory.check(user: "bob", Fixture.payrollRead, at: Fixture.now) == .deny(.noGrant))
    }

    @Test func removingAnIncludedRoleTakesAwayOnlyItsPart() {
        var directory = CheckDecisionTests.directory
        directory.removeRole("viewer")
        #expect(directory.check(user: "carol", Fixture.payrollRead, at: Fixture.now) == .deny(.noGrant))
        #expect(directory.check(user: "carol", Fixture.payrollWrite, at: Fixture.now) == .allow(via: .role("lead")))
        #expect(directory.roles["editor"]?.includes.isEmpty == true)
    }

    @Test func changingARoleChangesTheDecisionsOfItsHolders() {
        var directory = CheckDecisionTests.directory
        directory.upsert(Role(name: "dev", entitlements: [Fixture.githubRead, Fixture.payrollRead]))
        #expect(directory.check(user: "hank", Fixture.payrollRead, at: Fixture.now) == .allow(via: .role("dev")))
    }

    @Test func revokingTheOnlyGrantGivesNoGrant() {
        var directory = CheckDecisionTests.directory
        directory.removeGrant(.role("viewer"), user: "bob")
        #expect(directory.check(user: "bob", Fixture.payrollRead, at: Fixture.now) == .deny(.noGrant))
    }

    @Test func removingAUserMakesThemUnknown() {
        var directory = CheckDecisionTests.directory
        directory.removeUser("alice")
        #expect(directory.check(user: "alice", Fixture.payrollRead, at: Fixture.now) == .deny(.unknownUser))
    }

    @Test func wardenPermissionsAreCheckedByTheSameEngine() {
        let directory = Fixture.directory([
            U("admin", [.role(BuiltIn.adminRole)]),
            U("helper", [.role("helpdesk")]),
        ])
        #expect(directory.allows("admin", .keyAdmin, at: Fixture.now))
        #expect(directory.allows("helper", .userAdmin, at: Fixture.now))
        #expect(!directory.allows("helper", .grant, at: Fixture.now))
    }
}
