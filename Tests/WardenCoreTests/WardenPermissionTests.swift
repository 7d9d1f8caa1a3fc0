import Testing
import WardenCore

/// What the directory says about Warden's own permissions (SPEC §2.6): who holds
/// which `warden` permission (for no-escalation checks) and who holds `warden-admin`
/// (so that the last enabled admin is kept).
@Suite struct WardenPermissionTests {
    typealias U = Fixture.U

    static let all = BuiltIn.permissionNames

    static let directory = Fixture.directory([
        U("admin", [.role(BuiltIn.adminRole)]),
        U("root2", [.role("super")]),
        U("both", [.role(BuiltIn.adminRole), .role("super")]),
        U("retired", .disabled, [.role(BuiltIn.adminRole)]),
        U("lapsed", [.role(BuiltIn.adminRole, until: Fixture.past)]),
        U("helper", [.role("helpdesk"), .role("viewer")]),
        U("auditor", [.direct(Fixture.warden(.audit)), .direct(Fixture.warden(.check), until: Fixture.past)]),
        U("bob", [.role("viewer")]),
    ])

    struct Held: Sendable, CustomTestStringConvertible {
        var user: String
        var permissions: Set<String>
        var testDescription: String { "\(user) holds \(permissions.sorted())" }
    }

    static let held: [Held] = [
        Held(user: "admin", permissions: all),
        Held(user: "root2", permissions: all),
        Held(user: "retired", permissions: all),
        Held(user: "lapsed", permissions: []),
        Held(user: "helper", permissions: ["user-admin"]),
        Held(user: "auditor", permissions: ["audit"]),
        Held(user: "bob", permissions: []),
        Held(user: "nobody", permissions: []),
    ]

    @Test(arguments: held)
    func wardenPermissionsOfAUser(_ testCase: Held) {
        #expect(WardenPermissionTests.directory.wardenPermissions(of: testCase.user, at: Fixture.now) == testCase.permissions)
    }

    @Test func wardenPermissionsAmongEntitlementsIgnoreOtherSystems() {
        let entitlements: Set<Entitlement> = [Fixture.payrollRead, Fixture.warden(.grant), Entitlement(system: "wardenx", permission: "audit")]
        #expect(Directory.wardenPermissions(in: entitlements) == ["grant"])
    }

    @Test func enabledAdminHoldersAreEnabledUsersWithALiveAdminRole() {
        #expect(WardenPermissionTests.directory.enabledAdminHolders(at: Fixture.now) == ["admin", "root2", "both"])
    }

    @Test func disablingTheLastAdminLeavesNoEnabledHolder() {
        var directory = Fixture.directory([U("admin", [.role(BuiltIn.adminRole)])])
        directory.updateUser("admin") { $0.status = .disabled }
        #expect(directory.enabledAdminHolders(at: Fixture.now).isEmpty)
    }

    struct AdminRole: Sendable, CustomTestStringConvertible {
        var user: String
        var excluding: GrantTarget?
        var holds: Bool
        var testDescription: String { "\(user) without \(excluding?.description ?? "nothing") → \(holds)" }
    }

    static let adminRoles: [AdminRole] = [
        AdminRole(user: "admin", excluding: nil, holds: true),
        AdminRole(user: "admin", excluding: .role(BuiltIn.adminRole), holds: false),
        AdminRole(user: "admin", excluding: .role("super"), holds: true),
        AdminRole(user: "root2", excluding: nil, holds: true),
        AdminRole(user: "root2", excluding: .role(BuiltIn.adminRole), holds: true),
        AdminRole(user: "root2", excluding: .role("super"), holds: false),
        AdminRole(user: "both", excluding: .role(BuiltIn.adminRole), holds: true),
        AdminRole(user: "both", excluding: .role("super"), holds: true),
        // Status is not its concern: a disabled admin still holds the role.
        AdminRole(user: "retired", excluding: nil, holds: true),
        AdminRole(user: "lapsed", excluding: nil, holds: false),
        AdminRole(user: "helper", excluding: nil, holds: false),
        AdminRole(user: "nobody", excluding: nil, holds: false),
    ]

    @Test(arguments: adminRoles)
    func holdsAdminRole(_ testCase: AdminRole) {
        let holds = WardenPermissionTests.directory.holdsAdminRole(testCase.user, at: Fixture.now, excluding: testCase.excluding)
        #expect(holds == testCase.holds)
    }
}
