import WardenCore

/// Builds `Directory` values for the check-engine tables: a fixed instant, a few
/// systems and roles, and users described by their status and grants.
enum Fixture {
    static let now = Timestamp(seconds: 1_795_600_800)
    static let past = now.adding(seconds: -60)
    static let future = now.adding(seconds: 3_600)

    static let payrollRead = Entitlement(system: "payroll", permission: "read")
    static let payrollWrite = Entitlement(system: "payroll", permission: "write")
    static let githubRead = Entitlement(system: "github", permission: "read")

    static func warden(_ permission: BuiltIn.Permission) -> Entitlement {
        Entitlement(system: BuiltIn.system, permission: permission.rawValue)
    }

    /// The built-in role as the first migration creates it.
    static let adminRole = Role(
        name: BuiltIn.adminRole, entitlements: Set(BuiltIn.Permission.allCases.map(warden)))

    /// `lead` includes `editor`, which includes `viewer`: three levels.
    static let roles: [Role] = [
        Role(name: "viewer", entitlements: [payrollRead]),
        Role(name: "editor", entitlements: [payrollWrite], includes: ["viewer"]),
        Role(name: "lead", includes: ["editor"]),
        Role(name: "dev", entitlements: [githubRead]),
        adminRole,
        Role(name: "helpdesk", entitlements: [warden(.userAdmin)]),
        Role(name: "super", includes: [BuiltIn.adminRole]),
    ]

    /// One grant of a test user.
    struct G {
        var target: GrantTarget
        var until: Timestamp?

        static func role(_ name: String, until: Timestamp? = nil) -> G { G(target: .role(name), until: until) }
        static func direct(_ entitlement: Entitlement, until: Timestamp? = nil) -> G {
            G(target: .entitlement(entitlement), until: until)
        }
    }

    /// A test user: name, status, grants.
    struct U {
        var name: String
        var status: User.Status
        var grants: [G]

        init(_ name: String, _ grants: [G]) {
            self.init(name, .active, grants)
        }

        init(_ name: String, _ status: User.Status, _ grants: [G]) {
            self.name = name
            self.status = status
            self.grants = grants
        }
    }

    static func directory(_ users: [U], roles: [Role] = Fixture.roles) -> Directory {
        var directory = Directory()
        directory.upsert(SystemDefinition(name: "payroll", permissions: ["read", "write"]))
        directory.upsert(SystemDefinition(name: "github"))
        directory.upsert(SystemDefinition(name: BuiltIn.system, permissions: BuiltIn.permissionNames))
        directory.replaceRoles(roles)
        for (offset, user) in users.enumerated() {
            directory.upsert(User(id: Int64(offset + 1), name: user.name, status: user.status, created: past))
            for grant in user.grants {
                directory.put(
                    Grant(target: grant.target, until: grant.until, grantedBy: "admin", grantedAt: past),
                    user: user.name)
            }
        }
        return directory
    }
}
