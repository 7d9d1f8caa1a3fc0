import WardenCore
import WardenProtocol
import WardenStore

/// `ROLE …` (SPEC §2.2): bundles of entitlements, and role inclusion.
extension WardenService {
    func addRole(_ context: CommandContext, _ words: [Word]) throws(WardenError) -> Outcome {
        let args = try Arguments(words, count: 1...1, options: ["description", "external-id"], usage: context.usage)
        let name = try args.identifier(0, "role name")
        // SCIM's externalId of the group the role is (SPEC §12), kept as given.
        let externalID = try args.text("external-id").flatMap { $0.isEmpty ? nil : $0 }
        let role = Role(name: name, description: try args.text("description") ?? "", externalID: externalID)
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

    /// `ROLE SET` (SPEC §8): a role's description and request settings.
    func setRole(_ context: CommandContext, _ words: [Word]) throws(WardenError) -> Outcome {
        let args = try Arguments(words, count: 1...1, options: ["description", "requestable", "approvers", "approvals", "max", "external-id"],
                                 usage: context.usage)
        let name = try args.identifier(0, "role name")
        guard !args.options.isEmpty else { throw .syntax("ROLE SET needs at least one option; usage: \(context.usage)") }
        let description = try args.text("description")
        let externalID = try args.text("external-id")
        let changesSettings = args.options.keys.contains { $0 != "external-id" }
        let requestable: Bool? = try args.options["requestable"].map { text throws(WardenError) in
            switch text.lowercased() {
            case "yes": true
            case "no": false
            default: throw .invalid("requestable= must be yes or no")
            }
        }
        // `approvers=none` goes back to the holders of `warden grant`.
        let approvers: String?? = try args.options["approvers"].map { text throws(WardenError) in
            text.lowercased() == "none" ? nil : try Identifier.parse(text, what: "approvers role")
        }
        let approvals: Int? = try args.options["approvals"].map { text throws(WardenError) in
            guard let count = Int(text), RequestSettings.approvalRange.contains(count) else { throw .invalid("approvals= must be from 1 to 5") }
            return count
        }
        let maximum: Int64? = try args.options["max"].map { text throws(WardenError) in
            guard let seconds = Lifetime.parse(text), seconds > 0 else { throw .invalid("max= must be a duration such as 8h or 30d") }
            guard seconds <= RequestSettings.ceiling else { throw .invalid("max= is longer than 30d") }
            return seconds
        }
        return change(context, action: "role.set", target: "role:\(name)", permission: .roleAdmin, scope: .exclusive) { scope, directory in
            guard name != BuiltIn.adminRole else { throw Denial(message: "the built-in role \(name) cannot be changed") }
            guard let role = directory.roles[name] else { throw WardenError.notFound("no role \(name)") }
            var settings = role.requests
            if let requestable { settings.requestable = requestable }
            if let approvers {
                if let approvers { guard directory.roles[approvers] != nil else { throw WardenError.notFound("no role \(approvers)") } }
                settings.approvers = approvers
            }
            if let approvals { settings.approvals = approvals }
            if let maximum { settings.maximum = maximum }
            if changesSettings {
                try scope.transaction.write(.roleSettingsChanged(role: name, description: description ?? role.description, settings))
            }
            if let externalID {
                // `external-id=""` clears it.
                try scope.transaction.write(.roleExternalIDChanged(role: name, externalID: externalID.isEmpty ? nil : externalID))
            }
            let detail = "requestable=\(settings.requestable ? "yes" : "no") approvers=\(settings.approvers ?? "none") "
                + "approvals=\(settings.approvals) max=\(Lifetime.format(settings.maximum))"
                + (externalID == nil ? "" : " external-id=set")
            return ChangeResult(.ok(.pair("role", name)), detail: detail)
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
            try WardenService.requireUnreferenced(.role(name), by: scope.state)
            let approving = directory.roles.values.filter { $0.requests.approvers == name }.map(\.name).sorted()
            guard approving.isEmpty else {
                throw WardenError.conflict("role \(name) approves requests for \(approving.joined(separator: ","))")
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
                try WardenService.requireSeparation(role: name, adding: .entitlement(entitlement), in: scope.state, at: scope.now)
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
                try WardenService.requireSeparation(role: name, adding: .role(other), in: scope.state, at: scope.now)
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
         .pair("holders", String(directory.holderCount(of: .role(role.name)))),
         .pair("requestable", role.requests.requestable ? "yes" : "no"), .pair("approvers", role.requests.approvers ?? "none"),
         .pair("approvals", String(role.requests.approvals)), .pair("max", Lifetime.format(role.requests.maximum))]
    }
}
