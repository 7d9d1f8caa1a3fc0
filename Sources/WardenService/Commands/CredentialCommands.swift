import WardenCore
import WardenCrypto
import WardenProtocol
import WardenStore

/// `USER INVITE`, `APIKEY …` (SPEC §2.4): secrets shown once, stored as hashes.
extension WardenService {
    func inviteUser(_ context: CommandContext, _ words: [Word]) throws(WardenError) -> Outcome {
        let args = try Arguments(words, count: 1...1, options: ["ttl"], usage: context.usage)
        let name = try args.identifier(0, "username")
        let ttl = try args.ttl(fallback: configuration.inviteTTL, maximum: 30 * 86_400)
        let linkBase = publicBaseURL
        return change(context, action: "user.invite", target: name, permission: .userAdmin, scope: .user(name)) { scope, directory in
            guard let user = directory.users[name] else { throw WardenError.notFound("no user \(name)") }
            try WardenService.requireOutranks(name, caller: scope.caller, in: directory, at: scope.now)
            guard user.status == .active else { throw WardenError.conflict("user \(name) is disabled") }
            // ACTIVATE sets a first password only; a reset is USER PASSWD.
            guard user.passwordHash == nil else { throw WardenError.conflict("user \(name) has a password; use USER PASSWD") }
            let code = Hex.encode(SecureRandom.bytes(16))
            let invite = InviteRecord(userID: user.id, codeHash: Hex.encode(Digest.sha256(Array(code.utf8))), expires: scope.now.adding(seconds: ttl))
            try scope.transaction.write(.inviteIssued(invite))
            var reply: [Reply.Field] = [.pair("code", code), .pair("expires", invite.expires.rfc3339)]
            if let link = WardenService.inviteLink(base: linkBase, user: name, code: code) { reply.append(.pair("link", link)) }
            return ChangeResult(.ok(reply), detail: "expires=\(invite.expires.rfc3339)")
        }
    }

    func createAPIKey(_ context: CommandContext, _ words: [Word]) throws(WardenError) -> Outcome {
        let args = try Arguments(words, count: 1...1, usage: context.usage)
        let name = try args.identifier(0, "username")
        return change(context, action: "apikey.create", target: name, permission: .tokenIssue, scope: .user(name)) { scope, directory in
            guard let user = directory.users[name] else { throw WardenError.notFound("no user \(name)") }
            guard user.kind == .service else { throw WardenError.invalid("API keys are for service users; \(name) is a person") }
            try WardenService.requireOutranks(name, caller: scope.caller, in: directory, at: scope.now)
            let secret = WardenService.apiKeyPrefix + Base64URL.encode(SecureRandom.bytes(32))
            let record = APIKeyRecord(
                id: Hex.encode(SecureRandom.bytes(8)), userID: user.id,
                keyHash: Hex.encode(Digest.sha256(Array(secret.utf8))), created: scope.now)
            try scope.transaction.write(.apiKeyAdded(record))
            return ChangeResult(.ok(.pair("id", record.id), .pair("key", secret)), detail: "id=\(record.id)")
        }
    }

    func listAPIKeys(_ context: CommandContext, _ words: [Word]) throws(WardenError) -> Outcome {
        let args = try Arguments(words, count: 1...1, usage: context.usage)
        let name = try args.identifier(0, "username")
        return try read(context, action: "apikey.list", target: name, permission: .tokenIssue) { state throws(WardenError) in
            guard let user = state.directory.users[name] else { throw .notFound("no user \(name)") }
            return .list((state.apiKeys[user.id] ?? []).sorted { $0.created < $1.created }.map { key in
                [.pair("id", key.id), .pair("user", name), .pair("created", key.created.rfc3339)]
            })
        }
    }

    func revokeAPIKey(_ context: CommandContext, _ words: [Word]) throws(WardenError) -> Outcome {
        let args = try Arguments(words, count: 2...2, usage: context.usage)
        let name = try args.identifier(0, "username")
        let id = args.positional[1].lowercased()
        return change(context, action: "apikey.revoke", target: name, permission: .tokenIssue, scope: .user(name)) { scope, directory in
            guard let user = directory.users[name] else { throw WardenError.notFound("no user \(name)") }
            try WardenService.requireOutranks(name, caller: scope.caller, in: directory, at: scope.now)
            guard scope.state.apiKeys[user.id]?.contains(where: { $0.id == id }) == true else {
                throw WardenError.notFound("\(name) has no API key \(id)")
            }
            try scope.transaction.write(.apiKeyRevoked(id: id, userID: user.id))
            return ChangeResult(.ok(.pair("id", id), .pair("revoked", "true")), detail: "id=\(id)")
        }
    }
}
