/// The directory in memory: users, systems, roles and grants, kept exactly in step
/// with the database (a change is committed, then applied here, then acknowledged).
///
/// `CHECK`, `ACCESS`, `WHO` and the authorization of every command are answered from
/// this value, never from SQLite. It is a plain value type: the service keeps one
/// instance behind a lock, readers look at it in place, the single writer mutates it.
///
/// It is sized for a million users: a user's grants are a small array of numbered
/// targets and expiries (see `TargetTable`, `PackedGrant`), with nothing a check does
/// not need; who holds what is found by a scan (`WHO` is an access review, not a hot path).
public struct Directory: Sendable {
    public private(set) var users: [String: User] = [:]
    public private(set) var userNamesByID: [Int64: String] = [:]
    public private(set) var systems: [String: SystemDefinition] = [:]
    public private(set) var roles: [String: Role] = [:]
    /// Grants by username, in the order given.
    private var held: [String: ContiguousArray<PackedGrant>] = [:]
    var targets = TargetTable()

    /// Every entitlement a role carries, its included roles' too. Recomputed when roles change.
    public private(set) var roleClosure: [String: Set<Entitlement>] = [:]
    /// Every role a role includes, transitively, itself included.
    public private(set) var roleDescendants: [String: Set<String>] = [:]

    public init() {}

    /// Makes room for `users` users and their grants (at start, from the row counts).
    public mutating func reserveCapacity(users: Int) {
        self.users.reserveCapacity(users)
        userNamesByID.reserveCapacity(users)
        held.reserveCapacity(users)
    }

    public func user(id: Int64) -> User? {
        userNamesByID[id].flatMap { users[$0] }
    }

    /// Grants by username: `grants[user]?[target]`, `grants[user]?.count`.
    public var grants: Grants { Grants(table: held, targets: targets) }

    /// The grants of `user`, none when they have none.
    func heldGrants(_ user: String) -> HeldGrants { HeldGrants(packed: held[user] ?? [], targets: targets) }

    /// The grants of `user` in their packed form (for the check engine).
    func packedGrants(of user: String) -> ContiguousArray<PackedGrant>? { held[user] }

    /// Every user's packed grants (for the scans of `WHO` and the admin checks).
    var allPackedGrants: [String: ContiguousArray<PackedGrant>] { held }

    // MARK: Users

    public mutating func upsert(_ user: User) {
        if let old = users[user.name], old.id != user.id { userNamesByID[old.id] = nil }
        users[user.name] = user
        userNamesByID[user.id] = user.name
    }

    /// Applies `change` to an existing user.
    public mutating func updateUser(_ name: String, _ change: (inout User) -> Void) {
        guard users[name] != nil else { return }
        change(&users[name]!)
    }

    public mutating func removeUser(_ name: String) {
        guard let user = users.removeValue(forKey: name) else { return }
        userNamesByID[user.id] = nil
        removeAllGrants(user: name)
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
        targets.setClosures(closure)
    }

    // MARK: Grants

    /// Gives `grant` to `user`, replacing a grant of the same target (its expiry).
    /// Only the target and the expiry are kept in memory.
    public mutating func put(_ grant: Grant, user: String) {
        let id = targets.intern(grant.target)
        let packed = PackedGrant(target: id, until: grant.until)
        if let index = held[user]?.firstIndex(where: { $0.target == id }) {
            held[user]![index] = packed
            return
        }
        held[user, default: []].append(packed)
        targets.addHolder(id)
    }

    /// Gives `user` many grants at once (at start): one look-up of the user, one
    /// allocation of exactly the room needed. Targets must be new to the user.
    public mutating func load(_ grants: some Collection<(target: GrantTarget, until: Timestamp?)>, user: String) {
        var list = held[user] ?? []
        list.reserveCapacity(list.count + grants.count)
        for grant in grants {
            let id = targets.intern(grant.target)
            list.append(PackedGrant(target: id, until: grant.until))
            targets.addHolder(id)
        }
        held[user] = list
    }

    public mutating func removeGrant(_ target: GrantTarget, user: String) {
        guard let id = targets.id(of: target), let index = held[user]?.firstIndex(where: { $0.target == id }) else { return }
        held[user]!.remove(at: index)
        if held[user]!.isEmpty { held[user] = nil }
        targets.removeHolder(id)
    }

    public mutating func removeAllGrants(user: String) {
        guard let list = held.removeValue(forKey: user) else { return }
        for grant in list { targets.removeHolder(grant.target) }
    }

    /// How many users hold a grant of `target` (expired or not, enabled or not).
    public func holderCount(of target: GrantTarget) -> Int {
        targets.id(of: target).map(targets.holderCount) ?? 0
    }

    /// The entitlements that some user holds a direct grant of.
    public var directlyGrantedEntitlements: [Entitlement] {
        targets.held.compactMap { target in
            if case .entitlement(let entitlement) = target { entitlement } else { nil }
        }
    }
}
