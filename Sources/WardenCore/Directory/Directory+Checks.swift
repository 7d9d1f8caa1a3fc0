/// The check engine: answers from memory, evaluating expiry at the instant asked.
extension Directory {
    /// `CHECK user system permission`. With `ignoringStatus`, a disabled user is
    /// judged by their grants alone (SPEC §2.6: a disabled user still holds theirs).
    public func check(user name: String, _ entitlement: Entitlement, at now: Timestamp, ignoringStatus: Bool = false) -> Decision {
        guard let entry = entry(name) else { return .deny(.unknownUser) }
        if entry.user.status == .disabled && !ignoringStatus { return .deny(.disabled) }
        // An entitlement without a number is named by no grant and no role.
        let held = entry.grants
        guard !held.isEmpty, let wanted = targets.id(of: .entitlement(entitlement)) else {
            return .deny(.noGrant)
        }
        var sawExpired = false
        var bestRole: String?
        for grant in held {
            if grant.target == wanted {
                // A direct grant wins over any role.
                if grant.isLive(at: now) { return .allow(via: .direct) }
                sawExpired = true
            } else if targets.role(grant.target, gives: wanted) {
                guard grant.isLive(at: now) else {
                    sawExpired = true
                    continue
                }
                guard case .role(let role) = targets[grant.target] else { continue }
                // Several roles may give it: name the first by name, so answers are stable.
                if bestRole.map({ role < $0 }) ?? true { bestRole = role }
            }
        }
        if let bestRole { return .allow(via: .role(bestRole)) }
        return .deny(sawExpired ? .expired : .noGrant)
    }

    /// One line of `ACCESS`: an effective entitlement, where it comes from, and until when.
    public struct AccessEntry: Equatable, Sendable {
        public var entitlement: Entitlement
        public var via: Decision.Source
        public var until: Timestamp?
    }

    /// `ACCESS user`: the unexpired entitlements, sorted; one line an entitlement and
    /// source, so that an entitlement given both directly and by a role shows both.
    /// A disabled user has none: every check for them is `DENY` (their grants are kept
    /// for `ENABLE`, but listing them here would tell an access review they still count).
    public func access(user name: String, at now: Timestamp) -> [AccessEntry] {
        guard users[name]?.status == .active else { return [] }
        var entries: [AccessEntry] = []
        for grant in heldGrants(name) where grant.isLive(at: now) {
            switch grant.target {
            case .entitlement(let entitlement):
                entries.append(AccessEntry(entitlement: entitlement, via: .direct, until: grant.until))
            case .role(let role):
                for entitlement in roleClosure[role] ?? [] {
                    entries.append(AccessEntry(entitlement: entitlement, via: .role(role), until: grant.until))
                }
            }
        }
        return entries.sorted {
            ($0.entitlement, $0.via.description) < ($1.entitlement, $1.via.description)
        }
    }

    /// One line of `WHO`.
    public struct HolderEntry: Equatable, Sendable {
        public var user: String
        public var permission: String
        public var via: Decision.Source
    }

    /// `WHO system [permission]`: enabled users with an unexpired grant that gives it.
    /// A scan of every user's grants: an access review, not a hot path.
    public func who(system: String, permission: String?, at now: Timestamp) -> [HolderEntry] {
        func matches(_ entitlement: Entitlement) -> Bool {
            entitlement.system == system && (permission == nil || entitlement.permission == permission)
        }
        // What a grant of each target gives of the asked, worked out once a target.
        var given: [UInt32: (via: Decision.Source, permissions: [String])] = [:]
        for id in targets.targets.indices.map(UInt32.init) {
            switch targets[id] {
            case .entitlement(let entitlement) where matches(entitlement):
                given[id] = (.direct, [entitlement.permission])
            case .role(let role):
                let permissions = (roleClosure[role] ?? []).filter(matches).map(\.permission)
                if !permissions.isEmpty { given[id] = (.role(role), permissions) }
            default:
                continue
            }
        }
        var entries: [HolderEntry] = []
        guard !given.isEmpty else { return entries }
        for entry in allEntries where entry.user.status == .active {
            for grant in entry.grants where grant.isLive(at: now) {
                guard let gives = given[grant.target] else { continue }
                for permission in gives.permissions {
                    entries.append(HolderEntry(user: entry.user.name, permission: permission, via: gives.via))
                }
            }
        }
        return entries.sorted {
            ($0.user, $0.permission, $0.via.description) < ($1.user, $1.permission, $1.via.description)
        }
    }

    /// The entitlements a grant of `target` gives (a role's whole closure).
    public func entitlements(of target: GrantTarget) -> Set<Entitlement> {
        switch target {
        case .entitlement(let entitlement): [entitlement]
        case .role(let role): roleClosure[role] ?? []
        }
    }

    /// The `warden` permissions among `entitlements`.
    public static func wardenPermissions(in entitlements: Set<Entitlement>) -> Set<String> {
        Set(entitlements.lazy.filter { $0.system == BuiltIn.system }.map(\.permission))
    }

    /// The `warden` permissions a user holds through unexpired grants, whatever their status.
    public func wardenPermissions(of name: String, at now: Timestamp) -> Set<String> {
        var held: Set<String> = []
        for grant in heldGrants(name) where grant.isLive(at: now) {
            held.formUnion(Directory.wardenPermissions(in: entitlements(of: grant.target)))
        }
        return held
    }

    /// Whether an enabled user holds `warden <permission>` now: the authorization of
    /// every command goes through the same engine as `CHECK`.
    public func allows(_ name: String, _ permission: BuiltIn.Permission, at now: Timestamp) -> Bool {
        check(user: name, Entitlement(system: BuiltIn.system, permission: permission.rawValue), at: now).isAllowed
    }

    /// Enabled users who hold the `warden-admin` role now through a grant without an
    /// expiry (of it, or of a role that includes it): the holders that count for the
    /// last-administrator rule (SPEC §2.3). A timed grant never counts, or an admin for
    /// six seconds could disable the only permanent one and leave nobody a moment later.
    /// A scan of every user's grants: callers ask only when acting on an administrator.
    public func enabledAdminHolders(at now: Timestamp) -> Set<String> {
        let adminRoles = Set(roleDescendants.compactMap { role, members in
            members.contains(BuiltIn.adminRole) ? targets.id(of: .role(role)) : nil
        })
        var holders: Set<String> = []
        for entry in allEntries where entry.user.status == .active
            && entry.grants.contains(where: { adminRoles.contains($0.target) && $0.until == PackedGrant.forever }) {
            holders.insert(entry.user.name)
        }
        return holders
    }

    /// Whether `user` holds `warden-admin` now through some grant other than `excluding`;
    /// with `permanently`, only through grants without an expiry (the ones that count
    /// in `enabledAdminHolders`).
    public func holdsAdminRole(_ user: String, at now: Timestamp, excluding: GrantTarget? = nil, permanently: Bool = false) -> Bool {
        for grant in heldGrants(user) where grant.target != excluding && grant.isLive(at: now) {
            guard !permanently || grant.until == nil else { continue }
            if case .role(let role) = grant.target, roleDescendants[role]?.contains(BuiltIn.adminRole) == true { return true }
        }
        return false
    }

    // MARK: References (what deleting or changing a thing would break)

    /// Roles that include `role` directly.
    public func rolesIncluding(_ role: String) -> [String] {
        roles.values.filter { $0.includes.contains(role) }.map(\.name).sorted()
    }

    /// Whether any grant or role names `system` (and `permission`, when given).
    public func isInUse(system: String, permission: String? = nil) -> Bool {
        func matches(_ entitlement: Entitlement) -> Bool {
            entitlement.system == system && (permission == nil || entitlement.permission == permission)
        }
        if directlyGrantedEntitlements.contains(where: matches) { return true }
        return roles.values.contains { $0.entitlements.contains(where: matches) }
    }
}
