/// The directory in memory: users, systems, roles and grants, kept exactly in step
/// with the database (a change is committed, then applied here, then acknowledged).
///
/// `CHECK`, `ACCESS`, `WHO` and the authorization of every command are answered from
/// this value, never from SQLite. It is a plain value type: the service keeps one
/// instance behind a lock, readers look at it in place, the single writer mutates it.
public struct Directory: Sendable {
    public private(set) var users: [String: User] = [:]
    public private(set) var userNamesByID: [Int64: String] = [:]
    public private(set) var systems: [String: SystemDefinition] = [:]
    public private(set) var roles: [String: Role] = [:]
    /// Grants by username, then by what they give.
    public private(set) var grants: [String: [GrantTarget: Grant]] = [:]

    /// Every entitlement a role carries, its included roles' too. Recomputed when roles change.
    public private(set) var roleClosure: [String: Set<Entitlement>] = [:]
    /// Every role a role includes, transitively, itself included.
    public private(set) var roleDescendants: [String: Set<String>] = [:]
    /// Users holding each role directly (for `WHO` and referential checks).
    public private(set) var roleHolders: [String: Set<String>] = [:]
    /// Users holding each entitlement directly.
    public private(set) var directHolders: [Entitlement: Set<String>] = [:]

    public init() {}

    public func user(id: Int64) -> User? {
        userNamesByID[id].flatMap { users[$0] }
    }

    // MARK: Users

    public mutating func upsert(_ user: User) {
        if let old = users[user.name], old.id != user.id { userNamesByID[old.id] = nil }
        users[user.name] = user
        userNamesByID[user.id] = user.name
    }

    /// Applies `change` to an existing user.
    public mutating func updateUser(_ name: String, _ change: (inout User) -> Void) {
        guard var user = users[name] else { return }
        change(&user)
        users[name] = user
    }

    public mutating func removeUser(_ name: String) {
        guard let user = users.removeValue(forKey: name) else { return }
        userNamesByID[user.id] = nil
        for target in (grants[name] ?? [:]).keys { unindex(target, user: name) }
        grants[name] = nil
    }

    // MARK: Systems

    public mutating func upsert(_ system: SystemDefinition) { systems[system.name] = system }
    public mutating func removeSystem(_ name: String) { systems[name] = nil }

    // MARK: Roles

    public mutating func upsert(_ role: Role) {
        roles[role.name] = role
        recomputeRoleClosures()
    }

    /// Loads many roles at once (at start), computing the closures once.
    public mutating func replaceRoles(_ all: [Role]) {
        roles = Dictionary(uniqueKeysWithValues: all.map { ($0.name, $0) })
        recomputeRoleClosures()
    }

    public mutating func removeRole(_ name: String) {
        roles[name] = nil
        for other in roles.keys where roles[other]?.includes.contains(name) == true {
            roles[other]?.includes.remove(name)
        }
        recomputeRoleClosures()
    }

    /// Whether including `included` in `role` would make a cycle.
    public func wouldCycle(role: String, including included: String) -> Bool {
        role == included || (roleDescendants[included]?.contains(role) ?? false)
    }

    private mutating func recomputeRoleClosures() {
        var descendants: [String: Set<String>] = [:]
        func visit(_ name: String, _ seen: inout Set<String>) {
            guard seen.insert(name).inserted, let role = roles[name] else { return }
            for child in role.includes { visit(child, &seen) }
        }
        for name in roles.keys {
            var seen: Set<String> = []
            visit(name, &seen)
            descendants[name] = seen
        }
        var closure: [String: Set<Entitlement>] = [:]
        for (name, members) in descendants {
            var all: Set<Entitlement> = []
            for member in members { all.formUnion(roles[member]?.entitlements ?? []) }
            closure[name] = all
        }
        roleDescendants = descendants
        roleClosure = closure
    }

    // MARK: Grants

    public mutating func put(_ grant: Grant, user: String) {
        grants[user, default: [:]][grant.target] = grant
        switch grant.target {
        case .role(let role): roleHolders[role, default: []].insert(user)
        case .entitlement(let entitlement): directHolders[entitlement, default: []].insert(user)
        }
    }

    public mutating func removeGrant(_ target: GrantTarget, user: String) {
        guard grants[user]?.removeValue(forKey: target) != nil else { return }
        if grants[user]?.isEmpty == true { grants[user] = nil }
        unindex(target, user: user)
    }

    public mutating func removeAllGrants(user: String) {
        for target in (grants[user] ?? [:]).keys { unindex(target, user: user) }
        grants[user] = nil
    }

    private mutating func unindex(_ target: GrantTarget, user: String) {
        switch target {
        case .role(let role):
            roleHolders[role]?.remove(user)
            if roleHolders[role]?.isEmpty == true { roleHolders[role] = nil }
        case .entitlement(let entitlement):
            directHolders[entitlement]?.remove(user)
            if directHolders[entitlement]?.isEmpty == true { directHolders[entitlement] = nil }
        }
    }
}
