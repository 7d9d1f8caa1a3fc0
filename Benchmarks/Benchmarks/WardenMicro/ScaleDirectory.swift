import WardenCore

/// A directory of the same shape as `scripts/gen-scale-data` writes: 1,000 roles in
/// chains of ten (each includes the next, the last of each chain includes the
/// base role, which gives `scale read`), and per user four role grants and one
/// direct entitlement.
enum ScaleDirectory {
    static func make(users: Int, roles: Int = 1_000) -> Directory {
        var directory = Directory()
        let created = Timestamp(seconds: 1_800_000_000)
        var permissions: Set<String> = ["read"]
        for index in 0..<roles { permissions.insert("perm-\(index)") }
        directory.upsert(SystemDefinition(name: "scale", permissions: permissions))
        var all: [Role] = []
        let base = roles - 1
        for index in 0..<roles {
            var role = Role(name: "role-\(index)", entitlements: [Entitlement(system: "scale", permission: "perm-\(index)")])
            if index == base {
                role.entitlements.insert(Entitlement(system: "scale", permission: "read"))
            } else if index % 10 != 9 {
                role.includes = ["role-\(index + 1)"]
            } else {
                role.includes = ["role-\(base)"]
            }
            all.append(role)
        }
        directory.replaceRoles(all)
        for index in 0..<users {
            let name = "user-\(index)"
            directory.upsert(User(id: Int64(index + 1), name: name, created: created))
            for k in 0..<4 {
                let role = "role-\((index * 37 + k * 250) % roles)"
                directory.put(Grant(target: .role(role), grantedBy: "admin", grantedAt: created), user: name)
            }
            let direct = Entitlement(system: "scale", permission: "perm-\(index % roles)")
            directory.put(Grant(target: .entitlement(direct), grantedBy: "admin", grantedAt: created), user: name)
        }
        return directory
    }
}
