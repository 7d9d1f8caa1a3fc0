import WardenCore
import WardenCrypto
import WardenProtocol
import WardenStore

/// `USER …` (SPEC §2.2): provisioning, offboarding, and their guards.
extension WardenService {
    func addUser(_ context: CommandContext, _ words: [Word]) throws(WardenError) -> Outcome {
        let args = try Arguments(words, count: 1...1, options: ["name", "email", "kind", "password", "external-id"], usage: context.usage)
        let name = try args.identifier(0, "username")
        guard !BuiltIn.reservedUsernames.contains(name) else { throw .invalid("the username \(name) is reserved") }
        let displayName = try args.text("name") ?? ""
        let email = try args.email() ?? ""
        // SCIM's externalId (SPEC §12): the provisioning client's identifier, kept as given.
        let externalID = try args.text("external-id").flatMap { $0.isEmpty ? nil : $0 }
        let kind: User.Kind
        if let text = args.options["kind"] {
            guard let parsed = User.Kind(rawValue: text.lowercased()) else { throw .invalid("kind= must be person or service") }
            kind = parsed
        } else {
            kind = .person
        }
        let password = args.options["password"]
        if let password { try PasswordPolicy.validate(password, username: name) }
        // Refuse (and audit) a caller without user-admin before saying whether the user
        // exists, and before any hashing: EXISTS would let anyone enumerate usernames.
        if let refusal = refusal(context, action: "user.add", target: name, permission: .userAdmin) { return refusal }
        let exists = state.withLock { $0.directory.users[name] != nil }
        if exists { throw .exists("user \(name) exists") }
        let parameters = configuration.scrypt
        let create: @Sendable (String?) -> Outcome = { [self] phc in
            change(context, action: "user.add", target: name, permission: .userAdmin, scope: .user(name)) { scope, directory in
                guard directory.users[name] == nil else { throw WardenError.exists("user \(name) exists") }
                let user = User(id: 0, name: name, displayName: displayName, email: email, kind: kind, created: scope.now,
                                passwordHash: phc, externalID: externalID)
                _ = try scope.transaction.addUser(user)
                return ChangeResult(.ok(.pair("user", name)), detail: "kind=\(kind.rawValue)\(phc == nil ? "" : " password=set")")
            }
        }
        guard let password else { return create(nil) }
        // Hash off the event loop, then commit.
        return .later { [self] in
            let phc = await hashing.run { try? PasswordHash.make(password: password, parameters: parameters).phc }
            guard let phc else { return .error(.internalError("password hashing failed")) }
            return await create(phc).resolve()
        }
    }

    func setUser(_ context: CommandContext, _ words: [Word]) throws(WardenError) -> Outcome {
        let args = try Arguments(words, count: 1...1, options: ["name", "email", "external-id"], usage: context.usage)
        let name = try args.identifier(0, "username")
        let displayName = try args.text("name")
        let email = try args.email()
        let externalID = try args.text("external-id")
        guard displayName != nil || email != nil || externalID != nil else {
            throw .syntax("USER SET needs name=, email= or external-id=; usage: \(context.usage)")
        }
        return change(context, action: "user.set", target: name, permission: .userAdmin, scope: .user(name)) { scope, directory in
            guard let user = directory.users[name] else { throw WardenError.notFound("no user \(name)") }
            try WardenService.requireOutranks(name, caller: scope.caller, in: directory, at: scope.now)
            let newName = displayName ?? user.displayName
            let newEmail = email ?? user.email
            if displayName != nil || email != nil {
                try scope.transaction.write(.profileChanged(userID: user.id, displayName: newName, email: newEmail))
            }
            if let externalID {
                // `external-id=""` clears it.
                try scope.transaction.write(.externalIDChanged(userID: user.id, externalID: externalID.isEmpty ? nil : externalID))
            }
            var fields: [String] = []
            if displayName != nil { fields.append("name") }
            if email != nil { fields.append("email") }
            if externalID != nil { fields.append("external-id") }
            return ChangeResult(.ok(.pair("user", name)), detail: "changed=\(fields.joined(separator: ","))")
        }
    }

    func setPassword(_ context: CommandContext, _ words: [Word]) throws(WardenError) -> Outcome {
        let args = try Arguments(words, raw: 2, count: 2...2, usage: context.usage)
        let name = try args.identifier(0, "username")
        let password = args.positional[1]
        try PasswordPolicy.validate(password, username: name)
        if let refusal = refusal(context, action: "user.passwd", target: name, permission: .userAdmin) { return refusal }
        let parameters = configuration.scrypt
        return .later { [self] in
            let phc = await hashing.run { try? PasswordHash.make(password: password, parameters: parameters).phc }
            guard let phc else { return .error(.internalError("password hashing failed")) }
            return await change(context, action: "user.passwd", target: name, permission: .userAdmin, scope: .user(name)) { scope, directory in
                guard let user = directory.users[name] else { throw WardenError.notFound("no user \(name)") }
                try WardenService.requireOutranks(name, caller: scope.caller, in: directory, at: scope.now)
                // A reset is what a help desk does for a compromised account (SPEC §2.2,
                // v2): every token issued before it stops validating, a pending invite
                // dies (it could set the password again), and the user's open sessions
                // end (ASVS 7.4.3) — unless the caller reset their own password this
                // way: their own connection must stay usable.
                try scope.transaction.write(.passwordReset(userID: user.id, phc: phc, endsSessions: name != scope.caller))
                if scope.state.invites[user.id] != nil { try scope.transaction.write(.inviteDeleted(userID: user.id)) }
                return ChangeResult(detail: "password=set")
            }.resolve()
        }
    }

    func showUser(_ context: CommandContext, _ words: [Word]) throws(WardenError) -> Outcome {
        let args = try Arguments(words, count: 1...1, usage: context.usage)
        let name = try args.identifier(0, "username")
        return try read(context, action: "user.show", target: name, permission: .userAdmin) { state throws(WardenError) in
            guard let user = state.directory.users[name] else { throw .notFound("no user \(name)") }
            return .ok(
                .pair("user", user.name), .pair("name", user.displayName), .pair("email", user.email),
                .pair("kind", user.kind.rawValue), .pair("status", user.status.rawValue),
                .pair("created", user.created.rfc3339), .pair("last-login", user.lastLogin?.rfc3339 ?? "never"),
                .pair("failed-logins", String(user.failedLogins)), .pair("mfa", state.mfaIsOn(user.id) ? "on" : "off"))
        }
    }

    func listUsers(_ context: CommandContext, _ words: [Word]) throws(WardenError) -> Outcome {
        let args = try Arguments(words, count: 0...0, options: ["prefix", "status", "limit"], usage: context.usage)
        let prefix = args.options["prefix"].map(Identifier.fold) ?? ""
        let status: User.Status?
        if let text = args.options["status"] {
            guard let parsed = User.Status(rawValue: text.lowercased()) else { throw .invalid("status= must be active or disabled") }
            status = parsed
        } else {
            status = nil
        }
        let limit = try WardenService.limit(args.options["limit"], fallback: 1000, maximum: 100_000)
        return try scan(context, action: "user.list", target: "-", permission: .userAdmin) { state throws(WardenError) in
            let matching = state.directory.users.values
                .filter { $0.name.hasPrefix(prefix) && (status == nil || $0.status == status) }
                .sorted { $0.name < $1.name }
                .prefix(limit)
            return .list(matching.map { user in
                [.pair("user", user.name), .pair("name", user.displayName), .pair("kind", user.kind.rawValue), .pair("status", user.status.rawValue)]
            })
        }
    }

    func disableUser(_ context: CommandContext, _ words: [Word]) throws(WardenError) -> Outcome {
        let args = try Arguments(words, count: 1...1, options: ["reason"], usage: context.usage)
        let name = try args.identifier(0, "username")
        let reason = try args.text("reason") ?? ""
        return change(context, action: "user.disable", target: name, permission: .userAdmin,
                      scope: adminAwareScope(name, context), forbidSelf: true) { scope, directory in
            guard let user = directory.users[name] else { throw WardenError.notFound("no user \(name)") }
            try WardenService.requireOutranks(name, caller: scope.caller, in: directory, at: scope.now)
            guard user.status == .active else { return ChangeResult(.ok(.pair("user", name), .pair("status", "disabled")), detail: "already disabled") }
            try WardenService.requireAnotherAdmin(besides: name, in: directory, at: scope.now)
            try scope.transaction.write(.disabled(userID: user.id))
            return ChangeResult(.ok(.pair("user", name), .pair("status", "disabled")), detail: reason.isEmpty ? "" : "reason=\(reason)")
        }
    }

    func enableUser(_ context: CommandContext, _ words: [Word]) throws(WardenError) -> Outcome {
        let args = try Arguments(words, count: 1...1, usage: context.usage)
        let name = try args.identifier(0, "username")
        return change(context, action: "user.enable", target: name, permission: .userAdmin, scope: .user(name)) { scope, directory in
            guard let user = directory.users[name] else { throw WardenError.notFound("no user \(name)") }
            try WardenService.requireOutranks(name, caller: scope.caller, in: directory, at: scope.now)
            guard user.status == .disabled else { return ChangeResult(.ok(.pair("user", name), .pair("status", "active")), detail: "already active") }
            // Their grants count again once they are enabled (SPEC §10).
            try WardenService.requireSeparation(user: name, in: scope.state, at: scope.now, evenIfDisabled: true)
            // Tokens issued before the disable stay dead.
            try scope.transaction.write(.enabled(userID: user.id))
            return ChangeResult(.ok(.pair("user", name), .pair("status", "active")))
        }
    }

    func deleteUser(_ context: CommandContext, _ words: [Word]) throws(WardenError) -> Outcome {
        let args = try Arguments(words, count: 1...1, usage: context.usage)
        let name = try args.identifier(0, "username")
        return change(context, action: "user.delete", target: name, permission: .userAdmin,
                      scope: adminAwareScope(name, context), forbidSelf: true) { scope, directory in
            guard let user = directory.users[name] else { throw WardenError.notFound("no user \(name)") }
            try WardenService.requireOutranks(name, caller: scope.caller, in: directory, at: scope.now)
            try WardenService.requireAnotherAdmin(besides: name, in: directory, at: scope.now)
            try scope.transaction.write(.userDeleted(userID: user.id))
            return ChangeResult(.ok(.pair("user", name), .pair("deleted", "true")))
        }
    }

    /// The writer scope of a change that may take `warden-admin` away from `name`:
    /// alone in its batch when `name` holds it, so that two such changes never both
    /// pass the last-admin check (SPEC §2.3).
    func adminAwareScope(_ name: String, _ context: CommandContext) -> WriteScope {
        let holdsAdmin = state.withLock { $0.directory.holdsAdminRole(name, at: context.now) }
        return holdsAdmin ? .exclusive : .user(name)
    }

    /// `CONFLICT` when `name` is the last enabled holder of `warden-admin`. Only grants
    /// without an expiry count (see `Directory.enabledAdminHolders`).
    static func requireAnotherAdmin(besides name: String, in directory: Directory, at now: Timestamp, losing: GrantTarget? = nil) throws {
        // Only an enabled administrator can be the last one; the count below scans every user.
        guard directory.users[name]?.status == .active, directory.holdsAdminRole(name, at: now, permanently: true) else { return }
        let holders = directory.enabledAdminHolders(at: now)
        guard holders.contains(name) else { return }
        if let losing, directory.holdsAdminRole(name, at: now, excluding: losing, permanently: true) { return }
        guard holders.count > 1 else {
            throw WardenError.conflict("\(name) is the last enabled holder of \(BuiltIn.adminRole)")
        }
    }

    static func limit(_ text: String?, fallback: Int, maximum: Int) throws(WardenError) -> Int {
        guard let text else { return fallback }
        guard let value = Int(text), value >= 1, value <= maximum else { throw .invalid("limit= must be a number from 1 to \(maximum)") }
        return value
    }
}

extension Outcome {
    /// The reply of an outcome, awaiting it when it comes later (effects are dropped).
    func resolve() async -> Reply {
        switch self {
        case .now(let reply, _): reply
        case .later(let work): await work().0
        }
    }
}
