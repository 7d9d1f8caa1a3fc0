/// The roles and what each one carries through inclusion: for every role the
/// entitlements it gives (`closure`) and the roles it includes, however deep
/// (`descendants`, itself included).
///
/// A change to one role can only change the closures of that role and of the roles
/// that include it, so `upsert` and `remove` recompute those and nothing else, each
/// once, children before parents, reusing every other role's closure as it is. Adding
/// an entitlement to a role at the top of a 3,500-deep chain then costs one role's
/// work, not the whole graph's. Inclusion never makes a cycle (`wouldCycle` refuses
/// one), and the walk is iterative, so depth costs no stack.
public struct RoleGraph: Sendable {
    public private(set) var roles: [String: Role] = [:]
    public private(set) var closure: [String: Set<Entitlement>] = [:]
    public private(set) var descendants: [String: Set<String>] = [:]
    /// For every role name, the roles that include it directly.
    private var includedBy: [String: Set<String>] = [:]

    public init() {}

    /// The graph of `roles`, every closure computed once.
    public init(_ roles: [Role]) {
        for role in roles { self.roles[role.name] = role }
        for role in roles { for child in role.includes { includedBy[child, default: []].insert(role.name) } }
        recompute(Set(self.roles.keys))
    }

    /// Whether including `included` in `role` would make a cycle.
    public func wouldCycle(role: String, including included: String) -> Bool {
        role == included || (descendants[included]?.contains(role) ?? false)
    }

    /// Adds or replaces `role`; returns the roles whose closure was recomputed.
    @discardableResult
    public mutating func upsert(_ role: Role) -> Set<String> {
        let before = roles[role.name]?.includes ?? []
        for child in before.subtracting(role.includes) { unlink(child, from: role.name) }
        for child in role.includes.subtracting(before) { includedBy[child, default: []].insert(role.name) }
        roles[role.name] = role
        let affected = ancestors(of: role.name)
        recompute(affected)
        return affected
    }

    /// Removes the role and every inclusion of it; returns the roles whose closure
    /// changed (the removed one among them).
    @discardableResult
    public mutating func remove(_ name: String) -> Set<String> {
        guard let role = roles.removeValue(forKey: name) else { return [] }
        for child in role.includes { unlink(child, from: name) }
        let parents = includedBy.removeValue(forKey: name) ?? []
        for parent in parents { roles[parent]?.includes.remove(name) }
        closure[name] = nil
        descendants[name] = nil
        var affected: Set<String> = []
        for parent in parents { affected.formUnion(ancestors(of: parent)) }
        recompute(affected)
        return affected.union([name])
    }

    private mutating func unlink(_ child: String, from parent: String) {
        includedBy[child]?.remove(parent)
        if includedBy[child]?.isEmpty == true { includedBy[child] = nil }
    }

    /// `name` and every role that includes it, however deep.
    private func ancestors(of name: String) -> Set<String> {
        var found: Set<String> = [name]
        var pending = [name]
        while let next = pending.popLast() {
            for parent in includedBy[next] ?? [] where found.insert(parent).inserted { pending.append(parent) }
        }
        return found
    }

    /// Recomputes the closures of `names` (each an existing role or skipped), children
    /// first: a post-order walk with an explicit stack. Roles outside `names` keep
    /// theirs, which are current because nothing they include changed.
    private mutating func recompute(_ names: Set<String>) {
        var done: Set<String> = []
        // Roles whose children are being computed: a cycle (only a tampered database
        // could hold one) is cut there instead of walked forever.
        var visiting: Set<String> = []
        for start in names where roles[start] != nil && !done.contains(start) {
            var stack: [(name: String, expanded: Bool)] = [(start, false)]
            while let (name, expanded) = stack.popLast() {
                guard !done.contains(name), let role = roles[name] else { continue }
                let pendingChildren = role.includes.filter {
                    names.contains($0) && roles[$0] != nil && !done.contains($0) && !visiting.contains($0)
                }
                if !expanded && !pendingChildren.isEmpty {
                    visiting.insert(name)
                    stack.append((name, true))
                    for child in pendingChildren { stack.append((child, false)) }
                    continue
                }
                var entitlements = role.entitlements
                var below: Set<String> = [name]
                for child in role.includes {
                    below.insert(child)
                    below.formUnion(descendants[child] ?? [])
                    entitlements.formUnion(closure[child] ?? [])
                }
                closure[name] = entitlements
                descendants[name] = below
                done.insert(name)
                visiting.remove(name)
            }
        }
    }
}
