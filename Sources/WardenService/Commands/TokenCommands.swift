import WardenCore
import WardenCrypto
import WardenProtocol
import WardenStore

/// `TOKEN ISSUE`, `TOKEN REVOKE`, `VALIDATE` (SPEC §2.4).
extension WardenService {
    func issueToken(_ context: CommandContext, _ words: [Word]) throws(WardenError) -> Outcome {
        let args = try Arguments(words, count: 1...1, options: ["aud", "ttl"], usage: context.usage)
        let name = try args.identifier(0, "username")
        // Whether the audience exists is told only to callers allowed to issue tokens.
        let audience = try args.options["aud"].map { text throws(WardenError) in try Identifier.parse(text, what: "aud") } ?? BuiltIn.system
        let ttl = try args.ttl(fallback: configuration.tokenTTL, maximum: configuration.maximumTokenTTL)
        return change(context, action: "token.issue", target: name, permission: .tokenIssue, scope: .user(name)) { [self] scope, directory in
            guard directory.systems[audience] != nil else { throw WardenError.notFound("no system \(audience)") }
            guard let user = directory.users[name] else { throw WardenError.notFound("no user \(name)") }
            try WardenService.requireOutranks(name, caller: scope.caller, in: directory, at: scope.now)
            guard user.status == .active else { throw WardenError.conflict("user \(name) is disabled") }
            guard let key = scope.state.keyring.active else { throw WardenError.unavailable("no active signing key") }
            let issued = try makeToken(for: user, audience: audience, ttl: ttl, now: scope.now, key: key)
            try scope.transaction.write(.tokenIssued(issued.record))
            metrics.increment("tokens_issued")
            return ChangeResult(
                .ok(.pair("token", issued.token), .pair("expires", issued.record.expires.rfc3339)),
                detail: "aud=\(audience) jti=\(issued.record.jti)")
        }
    }

    func revokeToken(_ context: CommandContext, _ words: [Word]) throws(WardenError) -> Outcome {
        let args = try Arguments(words, raw: 1, count: 1...1, usage: context.usage)
        let given = args.positional[0]
        let jti: String
        if given.contains(".") {
            guard let decoded = try? JWS.decode(given) else { throw .invalid("not a well-formed token") }
            jti = decoded.claims.jti
        } else {
            jti = given
        }
        guard jti.utf8.count <= 128 else { throw .invalid("not a token id") }
        let owner = state.withLock { state in state.tokens[jti].flatMap { state.directory.userNamesByID[$0.userID] } } ?? "-"
        return change(context, action: "token.revoke", target: owner, permission: .tokenIssue, scope: .keys(["token:\(jti)"])) { scope, _ in
            guard scope.state.tokens[jti] != nil else { throw WardenError.notFound("no live token with that id") }
            try scope.transaction.write(.tokenRevoked(jti: jti))
            return ChangeResult(.ok(.pair("jti", jti), .pair("revoked", "true")), detail: "jti=\(jti)")
        }
    }

    func validate(_ context: CommandContext, _ words: [Word]) throws(WardenError) -> Outcome {
        let args = try Arguments(words, raw: 1, count: 1...3, usage: context.usage)
        guard args.positional.count != 2 else { throw .syntax("usage: \(context.usage)") }
        let token = args.positional[0]
        let entitlement: Entitlement? = args.positional.count == 3
            ? Entitlement(system: try args.identifier(1, "system name"), permission: try args.identifier(2, "permission"))
            : nil
        if let refusal = refusal(context, action: "validate", target: "-", permission: .introspect) { return refusal }
        let verdict = verdict(on: token, at: context.now)
        if case .notOnRecord = verdict {
            // Issued by another node a moment ago? Answered once this node has caught up.
            return .later { [self] in
                let settled = await settledVerdict(on: token)
                return validation(settled, entitlement, at: Timestamp.now())
            }
        }
        return .reply(validation(verdict, entitlement, at: context.now))
    }

    /// `VALIDATE`'s answer to a verdict.
    private func validation(_ verdict: TokenVerdict, _ entitlement: Entitlement?, at now: Timestamp) -> Reply {
        switch verdict {
        case .invalid(let reason):
            return .ok("INVALID", .pair("reason", reason))
        case .notOnRecord:
            return .ok("INVALID", .pair("reason", "revoked"))
        case .valid(let claims, let user):
            var fields: [Reply.Field] = [
                "VALID", .pair("sub", claims.sub), .pair("aud", claims.aud),
                .pair("exp", Timestamp(seconds: claims.exp).rfc3339), .pair("jti", claims.jti),
            ]
            if let entitlement {
                // CHECK, and an access token's scope (SPEC §13), as /forward-auth decides.
                fields.append(.pair("access", tokenAllows(claims, user: user, entitlement, at: now) ? "ALLOW" : "DENY"))
            }
            return .ok(fields)
        }
    }

    /// `aud=`: `warden` by default, otherwise a registered system.
    func audience(_ args: Arguments) throws(WardenError) -> String {
        guard let text = args.options["aud"] else { return BuiltIn.system }
        let audience = try Identifier.parse(text, what: "aud")
        guard state.withLock({ $0.directory.systems[audience] != nil }) else { throw .notFound("no system \(audience)") }
        return audience
    }
}
