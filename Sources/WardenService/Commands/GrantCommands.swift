import WardenCore
import WardenProtocol
import WardenStore

/// `GRANT`, `REVOKE`, `CHECK`, `ACCESS`, `WHO` (SPEC §2.3).
extension WardenService {
    func grant(_ context: CommandContext, _ words: [Word]) throws(WardenError) -> Outcome {
        let args = try Arguments(words, count: 2...3, options: ["until", "for", "reason"], usage: context.usage)
        let name = try args.identifier(0, "username")
        let target = try WardenService.grantTarget(args)
        let until = try args.expiry(now: context.now)
        let reason = try args.text("reason") ?? ""
        // A time limit on an administrator's role grant may take warden-admin away (below),
        // so such a grant runs alone in its batch, as a revoke of it does.
        let limitsAdmin = until != nil && state.withLock { $0.directory.holdsAdminRole(name, at: context.now) }
        let writeScope: WriteScope = limitsAdmin ? .exclusive : WardenService.grantScope(name)
        return change(context, action: "grant", target: name, permission: .grant, scope: writeScope, forbidSelf: true) { scope, directory in
            guard let user = directory.users[name] else { throw WardenError.notFound("no user \(name)") }
            switch target {
            case .role(let role): guard directory.roles[role] != nil else { throw WardenError.notFound("no role \(role)") }
            case .entitlement(let entitlement): try WardenService.requireEntitlement(entitlement, in: directory)
            }
            let wardenPermissions = Directory.wardenPermissions(in: directory.entitlements(of: target))
            try WardenService.requireHolds(
                wardenPermissions, caller: scope.caller, in: directory, at: scope.now, what: "granting warden permissions")
            if until != nil, case .role = target {
                // Re-granting the last administrator's role with an expiry strips it at that
                // instant: the same CONFLICT as revoking it now.
                try WardenService.requireAnotherAdmin(besides: name, in: directory, at: scope.now, losing: target)
            }
            try WardenService.requireSeparation(user: name, adding: [target], in: scope.state, at: scope.now)
            let grant = Grant(target: target, until: until, reason: reason, grantedBy: scope.caller, grantedAt: scope.now)
            try scope.transaction.write(.granted(userID: user.id, grant))
            // A pending invite dies when its user gains a warden permission: it was made
            // by someone who may not outrank them now.
            if !wardenPermissions.isEmpty && scope.state.invites[user.id] != nil {
                try scope.transaction.write(.inviteDeleted(userID: user.id))
            }
            let detail = "\(target) until=\(until?.rfc3339 ?? "never")" + (reason.isEmpty ? "" : " reason=\(reason)")
            return ChangeResult(.ok(.pair("user", name), .pair("grant", target.description), .pair("until", until?.rfc3339 ?? "never")), detail: detail)
        }
    }

    func revoke(_ context: CommandContext, _ words: [Word]) throws(WardenError) -> Outcome {
        let args = try Arguments(words, count: 2...3, usage: context.usage)
        let name = try args.identifier(0, "username")
        let everything = args.positional.count == 2 && args.positional[1] == "*"
        let target: GrantTarget? = everything ? nil : try WardenService.grantTarget(args)
        let scope: WriteScope = state.withLock { $0.directory.holdsAdminRole(name, at: context.now) }
            ? .exclusive : WardenService.grantScope(name)
        return change(context, action: "revoke", target: name, permission: .grant, scope: scope, forbidSelf: true) { scope, directory in
            guard let user = directory.users[name] else { throw WardenError.notFound("no user \(name)") }
            // Taking warden permissions away needs holding them, as giving them does
            // (SPEC §2.6): an operator with only `grant` cannot strip an administrator.
            let taken = target.map { directory.entitlements(of: $0) }
                ?? directory.heldGrants(name).reduce(into: Set<Entitlement>()) { $0.formUnion(directory.entitlements(of: $1.target)) }
            try WardenService.requireHolds(
                Directory.wardenPermissions(in: taken), caller: scope.caller, in: directory, at: scope.now, what: "revoking warden permissions")
            guard let target else {
                if user.status == .active, directory.holdsAdminRole(name, at: scope.now) {
                    try WardenService.requireAnotherAdmin(besides: name, in: directory, at: scope.now)
                }
                let count = directory.grants[name]?.count ?? 0
                try scope.transaction.write(.allGrantsRevoked(userID: user.id))
                return ChangeResult(.ok(.pair("user", name), .pair("revoked", String(count))), detail: "* (\(count) grants)")
            }
            guard directory.grants[name]?[target] != nil else { throw WardenError.notFound("\(name) has no grant \(target)") }
            try WardenService.requireAnotherAdmin(besides: name, in: directory, at: scope.now, losing: target)
            try scope.transaction.write(.grantRevoked(userID: user.id, target))
            return ChangeResult(.ok(.pair("user", name), .pair("revoked", target.description)), detail: target.description)
        }
    }

    func check(_ context: CommandContext, _ words: [Word]) throws(WardenError) -> Outcome {
        let args = try Arguments(words, count: 3...3, usage: context.usage)
        let name = try args.identifier(0, "username")
        let entitlement = Entitlement(system: try args.identifier(1, "system name"), permission: try args.identifier(2, "permission"))
        return try read(context, action: "check", target: name, permission: .check) { state in
            WardenService.reply(for: state.directory.check(user: name, entitlement, at: context.now))
        }
    }

    func access(_ context: CommandContext, _ words: [Word]) throws(WardenError) -> Outcome {
        let args = try Arguments(words, count: 1...1, usage: context.usage)
        let name = try args.identifier(0, "username")
        return try read(context, action: "access", target: name, permission: .check) { state throws(WardenError) in
            guard state.directory.users[name] != nil else { throw .notFound("no user \(name)") }
            return .list(state.directory.access(user: name, at: context.now).map { entry in
                [.pair("system", entry.entitlement.system), .pair("permission", entry.entitlement.permission),
                 .pair("via", entry.via.description), .pair("until", entry.until?.rfc3339 ?? "never")]
            })
        }
    }

    func who(_ context: CommandContext, _ words: [Word]) throws(WardenError) -> Outcome {
        let args = try Arguments(words, count: 1...2, usage: context.usage)
        let system = try args.identifier(0, "system name")
        let permission = args.positional.count == 2 ? try args.identifier(1, "permission") : nil
        let now = context.now
        return try scan(context, action: "who", target: "system:\(system)", permission: .check) { state throws(WardenError) in
            guard state.directory.systems[system] != nil else { throw .notFound("no system \(system)") }
            return .list(state.directory.who(system: system, permission: permission, at: now).map { entry in
                [.pair("user", entry.user), .pair("permission", entry.permission), .pair("via", entry.via.description)]
            })
        }
    }

    static func reply(for decision: Decision) -> Reply {
        switch decision {
        case .allow(let via): .ok("ALLOW", .pair("via", via.description))
        case .deny(let reason): .ok("DENY", .pair("reason", reason.rawValue))
        }
    }

    /// A role (one word) or a system and permission (two words) after the username.
    static func grantTarget(_ args: Arguments) throws(WardenError) -> GrantTarget {
        if args.positional.count == 2 { return .role(try args.identifier(1, "role name")) }
        return .entitlement(Entitlement(system: try args.identifier(1, "system name"), permission: try args.identifier(2, "permission")))
    }

    /// Grants and revokes of different users share a batch. Role and system changes
    /// run alone in theirs, so a grant needs no key for the role it names. The caller
    /// is read, not written (`change` adds it): one admin's pipelined changes to many
    /// users share a commit, and a batch ends before a change whose caller's rights an
    /// earlier change of the batch altered.
    static func grantScope(_ user: String) -> WriteScope {
        .user(user)
    }
}
