/// Separation of duties (SPEC §10): what a user holds, side by side with the rules.
///
/// Rules are checked on the change paths only (`GRANT`, `ROLE GRANT`, `ROLE INCLUDE`,
/// `REQUEST APPROVE`, `USER ENABLE`), never on `CHECK`: a change that would give one
/// enabled user both sides of a rule is refused. A user's holdings come from their own
/// live grants and the roles' precomputed closures (`roleDescendants`, `roleClosure`),
/// so a check costs the user's grants, whatever the depth of inclusion.
extension Directory {
    /// What one user holds now, and through which of their grants.
    public struct Holdings: Sendable {
        /// Each role held (granted or included), with the granted role it comes through.
        public var roles: [String: String] = [:]
        /// Each entitlement held, with `direct` or the granted role it comes through.
        public var entitlements: [Entitlement: String] = [:]

        /// How the user holds `side` (`direct` or `role:NAME`), or nil.
        public func via(_ side: SeparationRule.Side) -> String? {
            switch side {
            case .role(let name): roles[name].map { "role:\($0)" }
            case .entitlement(let entitlement): entitlements[entitlement]
            }
        }

        /// Adds what a grant of `target` gives.
        mutating func add(_ target: GrantTarget, in directory: Directory) {
            switch target {
            case .entitlement(let entitlement):
                entitlements[entitlement] = "direct"
            case .role(let granted):
                for role in directory.roleDescendants[granted] ?? [granted] where roles[role] == nil { roles[role] = granted }
                for entitlement in directory.roleClosure[granted] ?? [] where entitlements[entitlement] == nil {
                    entitlements[entitlement] = "role:\(granted)"
                }
            }
        }
    }

    /// What `user` holds through their unexpired grants (whatever their status), plus
    /// what a grant of each of `extra` would add.
    public func holdings(of user: String, at now: Timestamp, adding extra: [GrantTarget] = []) -> Holdings {
        var holdings = Holdings()
        // Direct grants first, so that `via` prefers `direct`, as `CHECK` does.
        let live = heldGrants(user).filter { $0.isLive(at: now) }.map(\.target) + extra
        for target in live where !target.isRole { holdings.add(target, in: self) }
        for target in live.sorted(by: { $0.description < $1.description }) where target.isRole { holdings.add(target, in: self) }
        return holdings
    }

    /// A rule that `holdings` break, with how each side is held.
    public struct SeparationBreach: Sendable, Equatable {
        public var rule: SeparationRule
        public var leftVia: String
        public var rightVia: String
    }

    /// The first rule (by name) that `holdings` break.
    public static func breach(of rules: some Sequence<SeparationRule>, by holdings: Holdings) -> SeparationBreach? {
        for rule in rules.sorted(by: { $0.name < $1.name }) {
            if let left = holdings.via(rule.left), let right = holdings.via(rule.right) {
                return SeparationBreach(rule: rule, leftVia: left, rightVia: right)
            }
        }
        return nil
    }

    /// Users whose holdings a change to `role` (an entitlement added, or a role
    /// included) reaches: the enabled holders of a live grant of `role` or of a role
    /// that includes it. A scan of every user: only run when a rule names something
    /// the change adds.
    public func enabledHolders(reaching role: String, at now: Timestamp) -> [String] {
        let reaching = Set(roleDescendants.compactMap { name, members in members.contains(role) ? name : nil })
        var users: [String] = []
        for entry in allEntries where entry.user.status == .active {
            let name = entry.user.name
            if heldGrants(name).contains(where: { grant in
                if case .role(let held) = grant.target { reaching.contains(held) && grant.isLive(at: now) } else { false }
            }) {
                users.append(name)
            }
        }
        return users
    }

    /// `SOD REPORT`: every enabled user who breaks a rule now, with the rule (one line a
    /// user and rule). A scan of every user: callers run it off the event loops.
    public func separationReport(_ rules: [SeparationRule], at now: Timestamp) -> [(user: String, breach: SeparationBreach)] {
        guard !rules.isEmpty else { return [] }
        var lines: [(user: String, breach: SeparationBreach)] = []
        for entry in allEntries where entry.user.status == .active && !entry.grants.isEmpty {
            let holdings = holdings(of: entry.user.name, at: now)
            for rule in rules.sorted(by: { $0.name < $1.name }) {
                guard let left = holdings.via(rule.left), let right = holdings.via(rule.right) else { continue }
                lines.append((entry.user.name, SeparationBreach(rule: rule, leftVia: left, rightVia: right)))
            }
        }
        return lines.sorted { ($0.user, $0.breach.rule.name) < ($1.user, $1.breach.rule.name) }
    }
}

extension GrantTarget {
    var isRole: Bool { if case .role = self { true } else { false } }
}
