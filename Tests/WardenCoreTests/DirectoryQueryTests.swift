import Testing
import WardenCore

/// The directory's other answers: `ACCESS`, `WHO` (SPEC §2.3) and role cycles.
@Suite struct DirectoryQueryTests {
    typealias U = Fixture.U

    struct Cycle: Sendable, CustomTestStringConvertible {
        var role: String
        var including: String
        var cycles: Bool
        var testDescription: String { "ROLE INCLUDE \(role) \(including) → \(cycles ? "cycle" : "fine")" }
    }

    /// `lead` includes `editor`, which includes `viewer`.
    static let cycles: [Cycle] = [
        Cycle(role: "lead", including: "lead", cycles: true),
        Cycle(role: "viewer", including: "editor", cycles: true),
        Cycle(role: "viewer", including: "lead", cycles: true),
        Cycle(role: "editor", including: "lead", cycles: true),
        Cycle(role: "lead", including: "viewer", cycles: false),
        Cycle(role: "viewer", including: "dev", cycles: false),
        Cycle(role: "dev", including: "lead", cycles: false),
        Cycle(role: "dev", including: "nosuch", cycles: false),
    ]

    @Test(arguments: cycles)
    func detectsCycles(_ testCase: Cycle) {
        let directory = Fixture.directory([])
        #expect(directory.wouldCycle(role: testCase.role, including: testCase.including) == testCase.cycles)
    }

    // MARK: ACCESS

    @Test func accessListsEffectiveEntitlementsSortedWithSourceAndExpiry() {
        let directory = Fixture.directory([
            U("carol", [.role("lead", until: Fixture.future), .direct(Fixture.githubRead)]),
        ])
        #expect(lines(directory.access(user: "carol", at: Fixture.now)) == [
            "github read via=direct until=never",
            "payroll read via=role:lead until=2026-11-25T11:00:00Z",
            "payroll write via=role:lead until=2026-11-25T11:00:00Z",
        ])
    }

    @Test func accessLeavesOutExpiredGrants() {
        let directory = Fixture.directory([
            U("erin", [.role("editor", until: Fixture.past), .direct(Fixture.payrollRead), .role("dev", until: Fixture.now)]),
        ])
        #expect(lines(directory.access(user: "erin", at: Fixture.now)) == ["payroll read via=direct until=never"])
    }

    @Test func accessShowsAnEntitlementOnceForEachSource() {
        let directory = Fixture.directory([U("leo", [.role("viewer"), .direct(Fixture.payrollRead)])])
        #expect(lines(directory.access(user: "leo", at: Fixture.now)) == [
            "payroll read via=direct until=never",
            "payroll read via=role:viewer until=never",
        ])
    }

    @Test func accessOfAnUnknownUserIsEmpty() {
        #expect(Fixture.directory([]).access(user: "nobody", at: Fixture.now).isEmpty)
    }

    // MARK: WHO

    static let whoDirectory = Fixture.directory([
        U("alice", [.direct(Fixture.payrollRead)]),
        U("bob", [.role("viewer")]),
        U("carol", [.role("lead")]),
        U("dave", [.direct(Fixture.payrollRead, until: Fixture.past)]),
        U("frank", .disabled, [.role("viewer"), .direct(Fixture.payrollWrite)]),
        U("hank", [.role("dev")]),
        U("judy", [.role("editor", until: Fixture.now)]),
        U("leo", [.role("viewer"), .direct(Fixture.payrollRead)]),
    ])

    @Test func whoListsEnabledHoldersOfOnePermission() {
        let holders = DirectoryQueryTests.whoDirectory.who(system: "payroll", permission: "read", at: Fixture.now)
        #expect(lines(holders) == [
            "alice read via=direct",
            "bob read via=role:viewer",
            "carol read via=role:lead",
            "leo read via=direct",
            "leo read via=role:viewer",
        ])
    }

    @Test func whoListsEveryPermissionOfASystemWhenNoneIsNamed() {
        let holders = DirectoryQueryTests.whoDirectory.who(system: "payroll", permission: nil, at: Fixture.now)
        #expect(lines(holders.filter { $0.user == "carol" }) == [
            "carol read via=role:lead",
            "carol write via=role:lead",
        ])
        #expect(Set(holders.map(\.user)) == ["alice", "bob", "carol", "leo"])
    }

    @Test func whoLeavesOutDisabledUsersAndExpiredGrants() {
        let users = Set(DirectoryQueryTests.whoDirectory.who(system: "payroll", permission: nil, at: Fixture.now).map(\.user))
        #expect(!users.contains("frank"))
        #expect(!users.contains("dave"))
        #expect(!users.contains("judy"))
    }

    @Test func whoOfAnotherSystemListsOnlyItsHolders() {
        #expect(lines(DirectoryQueryTests.whoDirectory.who(system: "github", permission: nil, at: Fixture.now)) == [
            "hank read via=role:dev",
        ])
        #expect(DirectoryQueryTests.whoDirectory.who(system: "github", permission: "write", at: Fixture.now).isEmpty)
    }

    // MARK: Helpers

    /// ACCESS entries as `system permission via=.. until=..`, in the order given.
    func lines(_ entries: [Directory.AccessEntry]) -> [String] {
        entries.map { "\($0.entitlement) via=\($0.via) until=\($0.until?.rfc3339 ?? "never")" }
    }

    /// WHO entries as `user permission via=..`, in the order given.
    func lines(_ entries: [Directory.HolderEntry]) -> [String] {
        entries.map { "\($0.user) \($0.permission) via=\($0.via)" }
    }
}
