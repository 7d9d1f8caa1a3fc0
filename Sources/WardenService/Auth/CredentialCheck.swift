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
        /// The user, the token a `LOGIN` asked for, and what the secret was.
        case success(User, IssuedToken?, SessionCredential)
        case failure
        /// The attempt could not be recorded (storage failure): neither accepted nor
        /// refused. Answered the same whether the secret was right or not, so it
        /// tells a guesser nothing; it tells an operator the truth.
        case unavailable
    }

    static let attemptUnavailable = WardenError.unavailable("storage failure; the attempt could not be recorded, try again")

    /// API keys are told from passwords by this prefix.
    static let apiKeyPrefix = "wk_"

    /// What checking a secret against a user found, before anything is recorded.
    struct SecretCheck: Sendable {
        var verified = false
        var failure = "wrong password"
        /// What a verified secret was: a password or one of the user's API keys.
        var credential = SessionCredential.password
        /// A hash at the configured cost to store in place of a weaker one.
        var upgradedHash: String?
    }

    func attempt(username raw: String, secret: String, source: String, action: String, token request: TokenRequest? = nil,
                 recordSuccess: Bool = true) async -> AttemptResult {
        let name = Identifier.fold(raw)
        // Attempts for unknown names are audited under a placeholder so that no
        // arbitrary text (a password typed as a username) lands in the log.
        let auditName = Identifier.isValid(name) ? name : "-"
        let turn = throttle.begin(username: auditName, source: source, now: Timestamp.now())
        if turn.waitMilliseconds > 0 { try? await Task.sleep(for: .milliseconds(turn.waitMilliseconds)) }

        let user: User? = auditName == name ? state.withLock { $0.directory.users[name] } : nil
        var check = await checkSecret(secret, of: user)
        if user == nil { check.failure = "unknown user" }
        if check.verified, user?.status != .active { check = SecretCheck(failure: "user disabled") }

        var issued: IssuedToken?
        if check.verified, let user, let request {
            issued = try? makeToken(for: user, audience: request.audience, ttl: request.ttl, now: Timestamp.now())
            if issued == nil { check = SecretCheck(failure: "no signing key") }
        }
        if check.verified, !recordSuccess, let user, request == nil {
            // HTTP Basic: successes are counted in /metrics, not written (SPEC §2.5).
            throttle.succeeded(turn)
            metrics.increment("logins_ok")
            return .success(user, nil, check.credential)
        }
        let outcome: User?
        do {
            outcome = try await record(check, name: name, auditName: auditName, user: user, token: issued,
                                       detail: request.map { "aud=\($0.audience)" } ?? "", source: source, action: action)
        } catch {
            logger.error("login could not be recorded", metadata: ["error": "\(error.code.rawValue)"])
            if check.verified { throttle.abandoned(turn) } else { throttle.failed(turn, now: Timestamp.now()) }
            return .unavailable
        }
        guard let outcome else {
            throttle.failed(turn, now: Timestamp.now())
            metrics.increment("logins_failed")
            return .failure
        }
        throttle.succeeded(turn)
        metrics.increment("logins_ok")
        if issued != nil { metrics.increment("tokens_issued") }
        return .success(outcome, issued, check.credential)
    }

    /// Checks `secret` as one of the user's API keys, else as their password, on the
    /// hashing pool. Every path that reaches scrypt spends at least the configured
    /// cost, so the reply's time tells nothing: an unknown user, a user without a
    /// password, a secret too long to be a password, and a stored hash weaker than the
    /// configured cost (padded with one more derivation) all take as long as a check
    /// of a hash at the configured cost.
    func checkSecret(_ secret: String, of user: User?) async -> SecretCheck {
        if secret.hasPrefix(WardenService.apiKeyPrefix), let user {
            let digest = Array(Hex.encode(Digest.sha256(Array(secret.utf8))).utf8)
            let keys = state.withLock { $0.apiKeys[user.id] ?? [] }
            if let key = keys.first(where: { ConstantTime.equals(Array($0.keyHash.utf8), digest) }) {
                return SecretCheck(verified: true, credential: .apiKey(id: key.id))
            }
        }
        // A password may start like an API key; a secret that matched no key is tried as a password.
        let stored = secret.utf8.count <= PasswordPolicy.maximumBytes ? user?.passwordHash : nil
        let parameters = configuration.scrypt
        let metrics = metrics
        return await hashing.run {
            // Each derivation at the configured cost (or above) is counted where it runs
            // (`warden_scrypt_derivations_total`), so that a test can hold every answer
            // to one of them.
            func configuredCost<T>(_ derive: () -> T) -> T {
                defer { metrics.increment("scrypt_derivations") }
                return derive()
            }
            guard let stored, let hash = try? PasswordHash(phc: stored) else {
                // No hash to check: derive one anyway at the configured cost (of at most
                // the longest password), the same scrypt a check of a stored hash runs.
                let bounded = String(decoding: secret.utf8.prefix(PasswordPolicy.maximumBytes), as: UTF8.self)
                _ = configuredCost { try? PasswordHash.make(password: bounded, parameters: parameters) }
                return SecretCheck()
            }
            let weaker = hash.parameters.isWeaker(than: parameters)
            let verified = weaker ? (try? hash.verify(password: secret)) == true : configuredCost { (try? hash.verify(password: secret)) == true }
            guard verified else {
                // A wrong password against a weak hash costs the configured derivation too.
                if weaker { _ = configuredCost { try? PasswordHash.make(password: secret, parameters: parameters) } }
                return SecretCheck()
            }
            // A hash weaker than the configured cost is replaced on this login.
            return SecretCheck(
                verified: true,
                upgradedHash: weaker ? configuredCost { try? PasswordHash.make(password: secret, parameters: parameters).phc } : nil)
        }
    }

    /// Writes the attempt: on success the login time, an upgraded hash and the token;
    /// on failure the user's failure count; the audit entry either way. Returns the
    /// user as committed on success, nil on failure (also when the user changed
    /// between the check and the commit).
    private func record(
        _ check: SecretCheck, name: String, auditName: String, user: User?, token: IssuedToken?,
        detail: String, source: String, action: String
    ) async throws(WardenError) -> User? {
        // On a full disk, the logins of those who can offboard still go through.
        let offboarder = check.verified && !state.withLock { $0.directory.wardenPermissions(of: name, at: .now()) }.isEmpty
        return try await store.writer.submit(.keys(["user:\(name)"]), priority: offboarder ? .offboarding : .ordinary) { [self] transaction in
            guard check.verified, let user, let current = state.withLock({ $0.directory.users[name] }), current.id == user.id,
                  current.status == .active else {
                if let user { try transaction.write(.loginFailed(userID: user.id)) }
                try transaction.audit(actor: auditName, source: source, action: action, target: auditName,
                                      detail: check.verified ? "user changed during login" : check.failure, result: .failed)
                return Committed(nil)
            }
            try transaction.write(.loggedIn(userID: user.id, at: transaction.now, upgradedHash: check.upgradedHash))
            if let token { try transaction.write(.tokenIssued(token.record)) }
            try transaction.audit(actor: name, source: source, action: action, target: name, detail: detail)
            return Committed(current)
        }
    }
}
