import WardenCore
import WardenCrypto
import WardenStore

/// One login attempt with a password or API key — `AUTH`, `LOGIN`, HTTP Basic —
/// and everything that goes with it: the throttle, a hash of the same cost whether
/// the user exists or not, the audit entry, the failure count, the upgrade of a
/// weak stored hash, and (for `LOGIN`) the token, all committed together.
extension WardenService {
    /// A token to issue in the same transaction as a successful login.
    struct TokenRequest: Sendable {
        var audience: String
        var ttl: Int64
    }

    enum AttemptResult: Sendable {
        case success(User, IssuedToken?)
        case failure
        /// The attempt could not be recorded (storage failure): neither accepted nor
        /// refused. Answered the same whether the secret was right or not, so it
        /// tells a guesser nothing; it tells an operator the truth.
        case unavailable
    }

    static let attemptUnavailable = WardenError.unavailable("storage failure; the attempt could not be recorded, try again")

    /// API keys are told from passwords by this prefix.
    static let apiKeyPrefix = "wk_"

    func attempt(username raw: String, secret: String, source: String, action: String, token request: TokenRequest? = nil,
                 recordSuccess: Bool = true) async -> AttemptResult {
        let name = Identifier.fold(raw)
        let known = Identifier.isValid(name)
        // Attempts for unknown names are audited under a placeholder so that no
        // arbitrary text (a password typed as a username) lands in the log.
        let auditName = known ? name : "-"
        let delay = throttle.delay(username: auditName, source: source, now: Timestamp.now())
        if delay > 0 { try? await Task.sleep(for: .seconds(delay)) }

        let user: User? = known ? state.withLock { $0.directory.users[name] } : nil
        var verified = false
        var failure = "wrong password"
        var upgradedHash: String?
        if secret.hasPrefix(WardenService.apiKeyPrefix) {
            let digest = Hex.encode(Digest.sha256(Array(secret.utf8)))
            let keys = user.map { user in state.withLock { $0.apiKeys[user.id] ?? [] } } ?? []
            for key in keys where ConstantTime.equals(Array(key.keyHash.utf8), Array(digest.utf8)) { verified = true }
        }
        // A password may start like an API key; a secret that matched no key is tried as a password.
        if !verified, secret.utf8.count <= PasswordPolicy.maximumBytes {
            let stored = user?.passwordHash
            let parameters = configuration.scrypt
            (verified, upgradedHash) = await hashing.run {
                guard let stored else {
                    // No hash to check (unknown user, or no password set): derive one
                    // anyway at the configured cost, the same scrypt a check of a
                    // stored hash runs, so the reply takes as long either way. No
                    // dummy hash is made at start: nothing is spent until needed.
                    _ = try? PasswordHash.make(password: secret, parameters: parameters)
                    return (false, nil)
                }
                guard let hash = try? PasswordHash(phc: stored), (try? hash.verify(password: secret)) == true else { return (false, nil) }
                // A hash weaker than the configured cost is replaced on this login.
                guard hash.parameters.isWeaker(than: parameters) else { return (true, nil) }
                return (true, try? PasswordHash.make(password: secret, parameters: parameters).phc)
            }
            if stored == nil { verified = false }
        }
        if user == nil { failure = "unknown user" }
        if verified, user?.status != .active { verified = false; failure = "user disabled" }

        var issued: IssuedToken?
        if verified, let user, let request {
            issued = try? makeToken(for: user, audience: request.audience, ttl: request.ttl, now: Timestamp.now())
            if issued == nil { verified = false; failure = "no signing key" }
        }
        let ok = verified
        let reason = failure
        if ok, !recordSuccess, let user, request == nil {
            // HTTP Basic: successes are counted in /metrics, not written (SPEC §2.5).
            throttle.recordSuccess(username: auditName, source: source)
            metrics.increment("logins_ok")
            return .success(user, nil)
        }
        let (upgraded, token) = (upgradedHash, issued)
        let detail = request.map { "aud=\($0.audience)" } ?? ""
        let outcome: User?
        do {
            outcome = try await store.writer.submit(.keys(["user:\(name)"])) { [self] transaction in
                guard ok, let user, let current = state.withLock({ $0.directory.users[name] }), current.id == user.id,
                      current.status == .active else {
                    if let user { try transaction.recordFailedLogin(id: user.id) }
                    try transaction.audit(actor: auditName, source: source, action: action, target: auditName,
                                          detail: ok ? "user changed during login" : reason, result: .failed)
                    let id = user?.id
                    return Committed(nil) { [self] in
                        guard let id else { return }
                        state.withLock { state in
                            if let name = state.directory.userNamesByID[id] { state.directory.updateUser(name) { $0.failedLogins += 1 } }
                        }
                    }
                }
                try transaction.recordLogin(id: user.id, at: transaction.now)
                if let upgraded { try transaction.setPasswordHash(id: user.id, phc: upgraded) }
                if let token { try transaction.insertIssuedToken(token.record) }
                try transaction.audit(actor: name, source: source, action: action, target: name, detail: detail)
                let now = transaction.now
                return Committed(current) { [self] in
                    state.withLock { state in
                        state.directory.updateUser(name) {
                            $0.lastLogin = now
                            $0.failedLogins = 0
                            if let upgraded { $0.passwordHash = upgraded }
                        }
                        if let token {
                            state.remember(token.record)
                            state.keyring.noteExpiry(kid: token.record.kid, token.record.expires)
                        }
                    }
                }
            }
        } catch {
            logger.error("login could not be recorded", metadata: ["error": "\(error.code.rawValue)"])
            if !ok { throttle.recordFailure(username: auditName, source: source, now: Timestamp.now()) }
            return .unavailable
        }
        if let outcome {
            throttle.recordSuccess(username: auditName, source: source)
            metrics.increment("logins_ok")
            if issued != nil { metrics.increment("tokens_issued") }
            return .success(outcome, issued)
        }
        throttle.recordFailure(username: auditName, source: source, now: Timestamp.now())
        metrics.increment("logins_failed")
        return .failure
    }
}
