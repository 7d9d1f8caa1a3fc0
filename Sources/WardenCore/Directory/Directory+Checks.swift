/// The check engine: answers from memory, evaluating expiry at the instant asked.
extension Directory {
    /// `CHECK user system permission`. With `ignoringStatus`, a disabled user is
    /// judged by their grants alone (SPEC §2.6: a disabled user still holds theirs).
    public func check(user name: String, _ entitlement: Entitlement, at now: Timestamp, ignoringStatus: Bool = false) -> Decision {
        guard let user = users[name] else { return .deny(.unknownUser) }
        if user.status == .disabled && !ignoringStatus { return .deny(.disabled) }
        guard let held = grants[name] else { return .deny(.noGrant) }
        var sawExpired = false
        if let direct = held[.entitlement(entitlement)] {
            if direct.isLive(at: now) { return .allow(via: .direct) }
            sawExpired = true
        }
        var bestRole: String?
        for (target, grant) in held {
            guard case .role(let role) = target, roleClosure[role]?.contains(entitlement) == true else { continue }
            if grant.isLive(at: now) {
                // Several roles may give it: name the first by name, so answers are stable.
                if bestRole.map({ role < $0 }) ?? true { bestRole = role }
            } else {
                sawExpired = true
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
        for (target, grant) in grants[name] ?? [:] where grant.isLive(at: now) {
            switch target {
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
    public func who(system: String, permission: String?, at now: Timestamp) -> [HolderEntry] {
        var entries: [HolderEntry] = []
        func matches(_ entitlement: Entitlement) -> Bool {
            entitlement.system == system && (permission == nil || entitlement.permission == permission)
        }
        func eligible(_ user: String, _ target: GrantTarget) -> Bool {
            guard users[user]?.status == .active, let grant = grants[user]?[target] else { return false }
            return grant.isLive(at: now)
        }
        for (entitlement, holders) in directHolders where matches(entitlement) {
            for user in holders where eligible(user, .entitlement(entitlement)) {
                entries.append(HolderEntry(user: user, permission: entitlement.permission, via: .direct))
            }
        }
        for (role, closure) in roleClosure {
            let given = closure.filter(matches)
            guard !given.isEmpty, let holders = roleHolders[role] else { continue }
            for user in holders where eligible(user, .role(role)) {
                for entitlement in given {
                    entries.append(HolderEntry(user: user, permission: entitlement.permission, via: .role(role)))
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
        for (target, grant) in grants[name] ?? [:] where grant.isLive(at: now) {
            held.formUnion(Directory.wardenPermissions(in: entitlements(of: target)))
        }
        return held
    }

    /// Whether an enabled user holds `warden <permission>` now: the authorization of
    /// every command goes through the same engine as `CHECK`.
    public func allows(_ name: String, _ permission: BuiltIn.Permission, at now: Timestamp) -> Bool {
        check(user: name, Entitlement(system: BuiltIn.system, permission: permission.rawValue), at: now).isAllowed
    }

    /// Enabled users who hold the `warden-admin` role now (granted it, or a role that includes it).
    public func enabledAdminHolders(at now: Timestamp) -> Set<String> {
        var holders: Set<String> = []
        for (role, members) in roleDescendants where members.contains(BuiltIn.adminRole) {
            for user in roleHolders[role] ?? [] {
                guard users[user]?.status == .active, grants[user]?[.role(role)]?.isLive(at: now) == true else { continue }
                holders.insert(user)
            }
        }
        return holders
    }

    /// Whether `user` holds `warden-admin` now through some grant other than `excluding`.
    public func holdsAdminRole(_ user: String, at now: Timestamp, excluding: GrantTarget? = nil) -> Bool {
        for (target, grant) in grants[user] ?? [:] where target != excluding && grant.isLive(at: now) {
            if case .role(let role) = target, roleDescendants[role]?.contains(BuiltIn.adminRole) == true { return true }
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
        if directHolders.keys.contains(where: matches) { return true }
        return roles.values.contains { $0.entitlements.contains(where: matches) }
    }
}
