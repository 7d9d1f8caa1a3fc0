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
    /// A user and their grants, in order given.
    struct Entry: Sendable {
        var user: User
        var grants: ContiguousArray<PackedGrant>
    }

    /// Every user, in no particular order (a removal moves the last one into the gap);
    /// `slots` finds one by name. One table of fixed-size entries: a million users cost
    /// no more than their entries and two small indexes.
    private var entries: ContiguousArray<Entry> = []
    private var slots: [String: Int32] = [:]
    private var slotsByID: [Int64: Int32] = [:]
    public private(set) var systems: [String: SystemDefinition] = [:]
    public private(set) var roleGraph = RoleGraph()
    var targets = TargetTable()

    public var roles: [String: Role] { roleGraph.roles }
    /// Every entitlement a role carries, its included roles' too.
    public var roleClosure: [String: Set<Entitlement>] { roleGraph.closure }
    /// Every role a role includes, transitively, itself included.
    public var roleDescendants: [String: Set<String>] { roleGraph.descendants }

    public init() {}

    /// Makes room for `users` users (at start, from the row count).
    public mutating func reserveCapacity(users: Int) {
        entries.reserveCapacity(users)
        slots.reserveCapacity(users)
        slotsByID.reserveCapacity(users)
    }

    /// Users by name: `users[name]`, `users.values`, `users.isEmpty`.
    public var users: Users { Users(entries: entries, slots: slots) }

    public func user(id: Int64) -> User? {
        slotsByID[id].map { entries[Int($0)].user }
    }

    /// Usernames by user id: `userNamesByID[id]`.
    public var userNamesByID: UserNames { UserNames(entries: entries, slotsByID: slotsByID) }

    /// Where the user with `id` is in `entries`.
    func slot(id: Int64) -> Int? { slotsByID[id].map(Int.init) }

    /// Grants by username: `grants[user]?[target]`, `grants[user]?.count`.
    public var grants: Grants { Grants(entries: entries, slots: slots, targets: targets) }

    /// Where the user `name` is in `entries`.
    func slot(named name: String) -> Int? { slots[name].map(Int.init) }

    /// A user and their grants, by name (for the check engine).
    func entry(_ name: String) -> Entry? { slots[name].map { entries[Int($0)] } }

    /// The grants of `user`, none when they have none.
    public func heldGrants(_ user: String) -> HeldGrants {
        HeldGrants(packed: slots[user].map { entries[Int($0)].grants } ?? [], targets: targets)
    }

    /// Every user with their grants (for the scans of `WHO` and the admin checks).
    var allEntries: ContiguousArray<Entry> { entries }

    // MARK: Users

    public mutating func upsert(_ user: User) {
        let slot = Int32(entries.count)
        if let existing = slots.updateValue(slot, forKey: user.name) {
            // A new value for a known name (one probe of the table in the common case).
            slots[user.name] = existing
            let old = entries[Int(existing)].user
            if old.id != user.id { slotsByID[old.id] = nil }
            entries[Int(existing)].user = user
            slotsByID[user.id] = existing
        } else {
            entries.append(Entry(user: user, grants: []))
            slotsByID[user.id] = slot
        }
    }

    /// Applies `change` to an existing user.
    public mutating func updateUser(_ name: String, _ change: (inout User) -> Void) {
        guard let slot = slots[name] else { return }
        change(&entries[Int(slot)].user)
    }

    /// Removes the user and their grants.
    public mutating func removeUser(_ name: String) {
        guard let slot = slots.removeValue(forKey: name) else { return }
        let removed = entries[Int(slot)]
        slotsByID[removed.user.id] = nil
        for grant in removed.grants { targets.removeHolder(grant.target) }
        let last = entries.removeLast()
        if Int(slot) < entries.count {
            entries[Int(slot)] = last
            slots[last.user.name] = slot
            slotsByID[last.user.id] = slot
        }
    }

    // MARK: Systems

    public mutating func upsert(_ system: SystemDefinition) { systems[system.name] = system }
    public mutating func removeSystem(_ name: String) { systems[name] = nil }

    // MARK: Roles

    /// Adds or replaces `role`; returns the roles whose closure was recomputed.
    @discardableResult
    public mutating func upsert(_ role: Role) -> Set<String> {
        let affected = roleGraph.upsert(role)
        updateClosures(affected)
        return affected
    }

    /// Loads many roles at once (at start), computing the closures once.
    public mutating func replaceRoles(_ all: [Role]) {
        let removed = Set(roleGraph.roles.keys)
        roleGraph = RoleGraph(all)
        updateClosures(removed.union(roleGraph.roles.keys))
    }

    public mutating func removeRole(_ name: String) {
        updateClosures(roleGraph.remove(name))
    }

    /// Installs `graph`, computed off the state lock by a change that ran alone in its
    /// batch (so it is this directory's graph plus that change): the lock is then held
    /// to renumber the `affected` closures, not for the graph's walk.
    public mutating func adoptRoles(_ graph: RoleGraph, affected: Set<String>) {
        roleGraph = graph
        updateClosures(affected)
    }

    /// Whether including `included` in `role` would make a cycle.
    public func wouldCycle(role: String, including included: String) -> Bool {
        roleGraph.wouldCycle(role: role, including: included)
    }

    /// Renumbers the closures of `roles` for the check engine.
    private mutating func updateClosures(_ roles: Set<String>) {
        for role in roles { targets.setClosure(of: role, roleGraph.closure[role] ?? []) }
    }

    // MARK: Grants

    /// Gives `grant` to `user`, replacing a grant of the same target (its expiry).
    /// Only the target and the expiry are kept in memory; a user not in the directory
    /// gets nothing.
    public mutating func put(_ grant: Grant, user: String) {
        guard let slot = slots[user].map(Int.init) else { return }
        let id = targets.intern(grant.target)
        let packed = PackedGrant(target: id, until: grant.until)
        if let index = entries[slot].grants.firstIndex(where: { $0.target == id }) {
            entries[slot].grants[index] = packed
            return
        }
        entries[slot].grants.append(packed)
        targets.addHolder(id)
    }

    /// Adds numbered grants to the user in `slot` with one allocation of exactly the
    /// room needed (see `Directory.Loader`). Targets must be new to the user.
    mutating func append(_ grants: some Collection<PackedGrant>, slot: Int) {
        var list = entries[slot].grants
        entries[slot].grants = []
        list.reserveCapacity(list.count + grants.count)
        for grant in grants {
            list.append(grant)
            targets.addHolder(grant.target)
        }
        entries[slot].grants = list
    }

    public mutating func removeGrant(_ target: GrantTarget, user: String) {
        guard let slot = slots[user].map(Int.init), let id = targets.id(of: target),
              let index = entries[slot].grants.firstIndex(where: { $0.target == id }) else { return }
        entries[slot].grants.remove(at: index)
        targets.removeHolder(id)
    }

    public mutating func removeAllGrants(user: String) {
        guard let slot = slots[user].map(Int.init) else { return }
        for grant in entries[slot].grants { targets.removeHolder(grant.target) }
        entries[slot].grants = []
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
