import WardenCore
import WardenCrypto
import WardenProtocol
import WardenStore

/// `AUTH`, `LOGIN`, `ACTIVATE`, `PASSWD` (SPEC §2.1, §2.4): the commands that take a secret.
extension WardenService {
    func authenticate(_ context: CommandContext, _ words: [Word]) throws(WardenError) -> Outcome {
        let args = try Arguments(words, raw: 2, count: 2...2, options: ["otp"], usage: context.usage)
        let source = context.source
        if args.positional[0].uppercased() == "TOKEN" {
            // A token is not asked for a code (SPEC §7).
            guard args.options["otp"] == nil else { throw .syntax("AUTH TOKEN takes no otp=; usage: \(context.usage)") }
            let token = args.positional[1]
            return .later { [self] in
                // No password to guess, but each failure is an audit entry: the source's
                // count of failures across usernames applies (see `LoginThrottle`).
                let turn = throttle.begin(username: nil, source: source, now: Timestamp.now())
                if turn.waitMilliseconds > 0 { try? await Task.sleep(for: .milliseconds(turn.waitMilliseconds)) }
                let verdict = await settledVerdict(on: token)
                var accepted: User?
                var detail = ""
                switch verdict {
                // An OAuth access token (SPEC §13) is for resource servers, limited to its
                // scope; a session has its user's every permission. Not a sign-in token.
                case .valid(let claims, _) where claims.access != nil: detail = "an oauth access token cannot sign in"
                case .valid(let claims, let user) where claims.aud == BuiltIn.system: accepted = user
                case .valid: detail = "token audience is not warden"
                case .invalid(let reason): detail = "token \(reason)"
                case .notOnRecord: detail = "token revoked"
                }
                let name = accepted?.name ?? "-"
                let result: AuditRecord.Result = accepted == nil ? .failed : .ok
                let recorded = try? await store.writer.submit(.keys([])) { [detail] transaction in
                    try transaction.audit(actor: name, source: source, action: "auth.token", target: name, detail: detail, result: result)
                    return Committed(true)
                }
                if accepted == nil { throttle.failed(turn, now: Timestamp.now()) } else { throttle.succeeded(turn) }
                // A node that lost its database still accepts a valid token (SPEC §6: it
                // answers AUTH TOKEN from memory); the missing audit entry is logged.
                let unrecordedButValid = recorded == nil && accepted != nil && store.isDegraded
                if unrecordedButValid {
                    logger.warning("AUTH TOKEN accepted while the database is unreachable; its audit entry is not written",
                                   metadata: ["user": "\(name)", "source": "\(source)"])
                }
                guard recorded == true || unrecordedButValid, let accepted else { return (.error(.authFailed), .none) }
                guard case .valid(let claims, _) = verdict else { return (.error(.authFailed), .none) }
                return (.ok(.pair("user", accepted.name)), .authenticate(
                    userID: accepted.id, generation: accepted.sessionGeneration,
                    credential: .token(jti: claims.jti, expires: claims.exp)))
            }
        }
        let username = args.positional[0]
        let secret = args.positional[1]
        let otp = args.options["otp"]
        return .later { [self] in
            switch await attempt(username: username, secret: secret, otp: otp, source: source, action: "auth") {
            case .success(let user, _, let credential, let mustEnrol):
                // A user who must enrol MFA first is signed in, for `MFA …` only (SPEC §7;
                // `handle` holds the rest back until their MFA is on).
                var reply: [Reply.Field] = [.pair("user", user.name)]
                if mustEnrol { reply.append(.pair("mfa", "enrol-required")) }
                return (.ok(reply), .authenticate(userID: user.id, generation: user.sessionGeneration, credential: credential))
            case .failure, .tokenRefused: return (.error(.authFailed), .none)
            case .mfaRequired: return (.error(.mfaRequired), .none)
            case .unavailable: return (.error(WardenService.attemptUnavailable), .none)
            }
        }
    }

    func login(_ context: CommandContext, _ words: [Word]) throws(WardenError) -> Outcome {
        let args = try Arguments(words, raw: 2, count: 2...2, options: ["aud", "ttl", "otp"], usage: context.usage)
        let audience = try args.options["aud"].map { text throws(WardenError) in try Identifier.parse(text, what: "aud") } ?? BuiltIn.system
        let ttl = try args.ttl(fallback: configuration.tokenTTL, maximum: configuration.maximumTokenTTL)
        let (username, secret, otp, source) = (args.positional[0], args.positional[1], args.options["otp"], context.source)
        return .later { [self] in
            // Whether `aud` names a system is said only to whoever proves a password:
            // before that, an unknown system is answered like a wrong password, at the
            // same cost, so LOGIN cannot be used to list the systems.
            let known = audience == BuiltIn.system || state.withLock { $0.directory.systems[audience] != nil }
            let result = await attempt(username: username, secret: secret, otp: otp, source: source, action: "login",
                                       token: known ? TokenRequest(audience: audience, ttl: ttl) : nil)
            if case .unavailable = result { return .error(WardenService.attemptUnavailable) }
            if case .mfaRequired = result { return .error(.mfaRequired) }
            guard case .success(_, let issued, _, _) = result else { return .error(.authFailed) }
            guard let issued else { return .error(.notFound("no system \(audience)")) }
            return .ok(.pair("token", issued.token), .pair("expires", issued.record.expires.rfc3339))
        }
    }

    func activate(_ context: CommandContext, _ words: [Word]) throws(WardenError) -> Outcome {
        let args = try Arguments(words, raw: 3, count: 3...3, usage: context.usage)
        let name = Identifier.fold(args.positional[0])
        let code = args.positional[1]
        let password = args.positional[2]
        let source = context.source
        let now = context.now
        let user = Identifier.isValid(name) ? state.withLock { $0.directory.users[name] } : nil
        let digest = Hex.encode(Digest.sha256(Array(code.utf8)))
        let invite = user.flatMap { user in state.withLock { $0.invites[user.id] } }
        let codeMatches = invite.map { ConstantTime.equals(Array($0.codeHash.utf8), Array(digest.utf8)) } ?? false
        // ACTIVATE sets a *first* password only: with one set, an old invite must not
        // overwrite it (an invite made for a plain user who is an admin since).
        guard let user, let invite, codeMatches, now < invite.expires, user.status == .active, user.passwordHash == nil else {
            let auditName = user?.name ?? "-"
            return .later { [self] in
                // A wrong code costs no hashing, so without the login throttle a client
                // could write failure entries to the audit log as fast as it can send.
                let turn = throttle.begin(username: auditName, source: source, now: Timestamp.now())
                if turn.waitMilliseconds > 0 { try? await Task.sleep(for: .milliseconds(turn.waitMilliseconds)) }
                _ = try? await store.writer.submit(.keys([])) { transaction in
                    try transaction.audit(actor: auditName, source: source, action: "activate", target: auditName,
                                          detail: "invalid, used or expired code", result: .failed)
                    return Committed(true)
                }
                throttle.failed(turn, now: Timestamp.now())
                return .error(.authFailed)
            }
        }
        try PasswordPolicy.validate(password, username: name)
        let parameters = configuration.scrypt
        return .later { [self] in
            let phc = await hashing.run { try? PasswordHash.make(password: password, parameters: parameters).phc }
            guard let phc else { return .error(.internalError("password hashing failed")) }
            do {
                return try await store.writer.submit(.user(name)) { [self] transaction in
                    // The code is single-use: it must still be the pending one, and the
                    // user must still have no password.
                    let (pending, current) = state.withLock { ($0.invites[user.id], $0.directory.user(id: user.id)) }
                    guard pending == invite, let current, current.passwordHash == nil, current.status == .active else {
                        try transaction.audit(actor: name, source: source, action: "activate", target: name,
                                              detail: "code already used", result: .failed)
                        return Committed(Reply.error(.authFailed))
                    }
                    // Any session opened without the password (a token, an API key) ends.
                    try transaction.write(.passwordSet(userID: user.id, phc: phc))
                    try transaction.write(.inviteDeleted(userID: user.id))
                    try transaction.audit(actor: name, source: source, action: "activate", target: name, detail: "password=set")
                    return Committed(Reply.ok(.pair("user", name)))
                }
            } catch {
                return .error(error)
            }
        }
    }

    /// `PASSWD current new`. A new password ends the user's other sessions (ASVS
    /// 7.4.3: whoever knew the old one is logged out); this connection stays signed in
    /// under the new session generation. Tokens already issued are left alone: they
    /// expire by their own lifetime, and `TOKEN REVOKE` or `USER DISABLE` ends them.
    func changeOwnPassword(_ context: CommandContext, _ words: [Word]) throws(WardenError) -> Outcome {
        let args = try Arguments(words, raw: 2, count: 2...2, usage: context.usage)
        guard let name = context.caller, let callerID = context.callerID else { throw .noAuth }
        let (current, new) = (args.positional[0], args.positional[1])
        let stored = state.withLock { $0.directory.users[name]?.passwordHash }
        let source = context.source
        let parameters = configuration.scrypt
        return .later { [self] () async -> (Reply, SessionEffect) in
            // Guessing the current password here is guessing it at AUTH: the same
            // throttle, so a stolen session or token cannot try passwords at full speed.
            let turn = throttle.begin(username: name, source: source, now: Timestamp.now())
            if turn.waitMilliseconds > 0 { try? await Task.sleep(for: .milliseconds(turn.waitMilliseconds)) }
            let verified = await hashing.run {
                guard current.utf8.count <= PasswordPolicy.maximumBytes, let stored, let hash = try? PasswordHash(phc: stored) else { return false }
                return (try? hash.verify(password: current)) == true
            }
            guard verified else {
                throttle.failed(turn, now: Timestamp.now())
                _ = try? await store.writer.submit(.keys([])) { transaction in
                    try transaction.audit(actor: name, source: source, action: "passwd", target: name, detail: "wrong current password", result: .failed)
                    return Committed(true)
                }
                return (.error(.authFailed), .none)
            }
            throttle.succeeded(turn)
            do {
                try PasswordPolicy.validate(new, username: name)
            } catch {
                return (.error(error), .none)
            }
            let phc = await hashing.run { try? PasswordHash.make(password: new, parameters: parameters).phc }
            guard let phc else { return (.error(.internalError("password hashing failed")), .none) }
            do {
                return try await store.writer.submit(.user(name)) { [self] transaction in
                    guard let user = state.withLock({ $0.directory.user(id: callerID) }), user.status == .active else {
                        return Committed((Reply.error(.noAuth), SessionEffect.none))
                    }
                    // The other sessions end (`passwordSet` moves the generation on); this
                    // one carries on under the new generation.
                    try transaction.write(.passwordSet(userID: callerID, phc: phc))
                    try transaction.audit(actor: name, source: source, action: "passwd", target: name, detail: "password=set")
                    let effect = SessionEffect.authenticate(
                        userID: callerID, generation: user.sessionGeneration + 1, credential: context.session.credential)
                    return Committed((Reply.ok(), effect))
                }
            } catch {
                return (.error(error), .none)
            }
        }
    }
}
