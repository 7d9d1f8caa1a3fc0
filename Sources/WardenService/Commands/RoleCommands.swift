import WardenCore
import WardenProtocol
import WardenStore

/// `ROLE …` (SPEC §2.2): bundles of entitlements, and role inclusion.
extension WardenService {
    func addRole(_ context: CommandContext, _ words: [Word]) throws(WardenError) -> Outcome {
        let args = try Arguments(words, count: 1...1, options: ["description"], usage: context.usage)
        let name = try args.identifier(0, "role name")
        let role = Role(name: name, description: try args.text("description") ?? "")
        return change(context, action: "role.add", target: "role:\(name)", permission: .roleAdmin, scope: .exclusive) { scope, directory in
            guard directory.roles[name] == nil else { throw WardenError.exists("role \(name) exists") }
            try scope.transaction.write(.roleAdded(role))
            return ChangeResult(.ok(.pair("role", name)))
        }
    }

    func showRole(_ context: CommandContext, _ words: [Word]) throws(WardenError) -> Outcome {
        let args = try Arguments(words, count: 1...1, usage: context.usage)
        let name = try args.identifier(0, "role name")
        return try read(context, action: "role.show", target: "role:\(name)", permission: .roleAdmin) { state throws(WardenError) in
            guard let role = state.directory.roles[name] else { throw .notFound("no role \(name)") }
            return .ok(WardenService.fields(of: role, state.directory))
        }
    }

    func listRoles(_ context: CommandContext, _ words: [Word]) throws(WardenError) -> Outcome {
        _ = try Arguments(words, count: 0...0, usage: context.usage)
        return try read(context, action: "role.list", target: "-", permission: .roleAdmin) { state in
            .list(state.directory.roles.values.sorted { $0.name < $1.name }.map { WardenService.fields(of: $0, state.directory) })
        }
    }

    func deleteRole(_ context: CommandContext, _ words: [Word]) throws(WardenError) -> Outcome {
        let args = try Arguments(words, count: 1...1, usage: context.usage)
        let name = try args.identifier(0, "role name")
        return change(context, action: "role.delete", target: "role:\(name)", permission: .roleAdmin, scope: .exclusive) { scope, directory in
            guard name != BuiltIn.adminRole else { throw Denial(message: "the built-in role \(name) cannot be deleted") }
            guard directory.roles[name] != nil else { throw WardenError.notFound("no role \(name)") }
            let holders = directory.holderCount(of: .role(name))
            guard holders == 0 else {
                throw WardenError.conflict("role \(name) is granted to \(holders) user(s); revoke it first")
            }
            let including = directory.rolesIncluding(name)
            guard including.isEmpty else {
                throw WardenError.conflict("role \(name) is included by \(including.joined(separator: ","))")
            }
            try scope.transaction.write(.roleDeleted(name: name))
            return ChangeResult(.ok(.pair("role", name), .pair("deleted", "true")))
        }
    }

    func changeRoleEntitlement(_ context: CommandContext, _ words: [Word], adding: Bool) throws(WardenError) -> Outcome {
        let args = try Arguments(words, count: 3...3, usage: context.usage)
        let name = try args.identifier(0, "role name")
        let entitlement = Entitlement(system: try args.identifier(1, "system name"), permission: try args.identifier(2, "permission"))
        return change(context, action: adding ? "role.grant" : "role.revoke", target: "role:\(name)", permission: .roleAdmin, scope: .exclusive) { scope, directory in
            guard name != BuiltIn.adminRole else { throw Denial(message: "the built-in role \(name) cannot be changed") }
            guard var role = directory.roles[name] else { throw WardenError.notFound("no role \(name)") }
            // Taking a warden permission away needs holding it, as giving it does.
            try WardenService.requireHolds(
                Directory.wardenPermissions(in: [entitlement]), caller: scope.caller, in: directory, at: scope.now,
                what: adding ? "adding a warden permission to a role" : "taking a warden permission from a role")
            if adding {
                try WardenService.requireEntitlement(entitlement, in: directory)
                try WardenService.refuseSelfBenefit(role: name, caller: scope.caller, in: directory, at: scope.now)
                try scope.transaction.write(.roleEntitlementAdded(role: name, entitlement))

                role.entitlements.insert(entitlement)
            } else {
                guard role.entitlements.contains(entitlement) else { throw WardenError.notFound("role \(name) does not hold \(entitlement)") }
                role.entitlements.remove(entitlement)
                try WardenService.requireAdminSurvives(changing: role, in: directory)
                try scope.transaction.write(.roleEntitlementRemoved(role: name, entitlement))
            }
            return try WardenService.roleChanged(role, scope, directory, detail: "\(entitlement.system):\(entitlement.permission)")
        }
    }

    func changeRoleInclusion(_ context: CommandContext, _ words: [Word], including: Bool) throws(WardenError) -> Outcome {
        let args = try Arguments(words, count: 2...2, usage: context.usage)
        let name = try args.identifier(0, "role name")
        let other = try args.identifier(1, "role name")
        return change(context, action: including ? "role.include" : "role.exclude", target: "role:\(name)", permission: .roleAdmin, scope: .exclusive) { scope, directory in
            guard name != BuiltIn.adminRole else { throw Denial(message: "the built-in role \(name) cannot be changed") }
            guard var role = directory.roles[name] else { throw WardenError.notFound("no role \(name)") }
            guard directory.roles[other] != nil else { throw WardenError.notFound("no role \(other)") }
            try WardenService.requireHolds(
                Directory.wardenPermissions(in: directory.entitlements(of: .role(other))), caller: scope.caller, in: directory,
                at: scope.now, what: (including ? "including" : "excluding") + " a role that carries warden permissions")
            if including {
                guard !directory.wouldCycle(role: name, including: other) else {
                    throw WardenError.invalid("including \(other) in \(name) would make a cycle")
                }
                try WardenService.refuseSelfBenefit(role: name, caller: scope.caller, in: directory, at: scope.now)
                try scope.transaction.write(.roleIncluded(role: name, included: other))
                role.includes.insert(other)
            } else {
                guard role.includes.contains(other) else { throw WardenError.notFound("role \(name) does not include \(other)") }
                role.includes.remove(other)
                try WardenService.requireAdminSurvives(changing: role, in: directory)
                try scope.transaction.write(.roleExcluded(role: name, included: other))
            }
            return try WardenService.roleChanged(role, scope, directory, detail: "role:\(other)")
        }
    }

    /// `FORBIDDEN` when the caller holds `role` (granted it, or a role that includes it):
    /// adding to a role one holds is giving oneself access, which needs another
    /// role-admin, as a grant to oneself needs another granter.
    static func refuseSelfBenefit(role: String, caller: String, in directory: Directory, at now: Timestamp) throws {
        for grant in directory.heldGrants(caller) where grant.isLive(at: now) {
            guard case .role(let held) = grant.target, held == role || directory.roleDescendants[held]?.contains(role) == true else { continue }
            throw Denial(message: "you hold role \(role); another role-admin must widen it")
        }
    }

    /// The result of a change that makes a role `changed` (its `Change` written): the
    /// pending invites of users it promotes are deleted too.
    static func roleChanged(_ changed: Role, _ scope: ChangeScope, _ directory: Directory, detail: String) throws -> ChangeResult {
        try dropInvitesOfPromoted(by: changed, scope, directory)
        return ChangeResult(detail: detail)
    }

    /// Deletes the pending invites of users whose `warden` permissions grow when a role
    /// becomes `changed` (an invite made for a plain user must not activate an admin).
    /// Only invites are looked at, never every user.
    static func dropInvitesOfPromoted(by changed: Role, _ scope: ChangeScope, _ before: Directory) throws {
        guard !scope.state.invites.isEmpty else { return }
        var after = before
        after.upsert(changed)
        let now = scope.now
        for id in scope.state.invites.keys {
            guard let name = before.userNamesByID[id],
                  !after.wardenPermissions(of: name, at: now).isSubset(of: before.wardenPermissions(of: name, at: now)) else { continue }
            try scope.transaction.write(.inviteDeleted(userID: id))
        }
    }

    /// `CONFLICT` when narrowing a role to `changed` would leave no enabled holder of
    /// `warden-admin`.
    static func requireAdminSurvives(changing changed: Role, in directory: Directory) throws(WardenError) {
        guard directory.roleDescendants[changed.name]?.contains(BuiltIn.adminRole) == true else { return }
        var after = directory
        after.upsert(changed)
        let now = Timestamp.now()
        guard !after.enabledAdminHolders(at: now).isEmpty || directory.enabledAdminHolders(at: now).isEmpty else {
            throw .conflict("that would leave no enabled holder of \(BuiltIn.adminRole)")
        }
    }

    static func fields(of role: Role, _ directory: Directory) -> [Reply.Field] {
        [.pair("role", role.name), .pair("description", role.description),
         .pair("entitlements", role.entitlements.sorted().map { "\($0.system):\($0.permission)" }.joined(separator: ",")),
         .pair("includes", role.includes.sorted().joined(separator: ",")),
         .pair("holders", String(directory.holderCount(of: .role(role.name))))]
    }
}
