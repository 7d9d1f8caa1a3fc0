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
        /// An OAuth 2.0 access token (SPEC §13): the `scope` asked for, nil when none was.
        var access: AccessTokenRequest?
    }

    struct AccessTokenRequest: Sendable {
        var scope: [String]?
    }

    enum AttemptResult: Sendable {
        /// The user, the token a `LOGIN` asked for, and what the secret was;
        /// `mustEnrol` when the user may only enrol MFA before anything else (SPEC §7).
        case success(User, IssuedToken?, SessionCredential, mustEnrol: Bool)
        case failure
        /// The password was right, and the user's MFA asks for a code (`ERR MFA-REQUIRED`).
        case mfaRequired
        /// The client's secret was right, its token request was not (SPEC §13: a scope
        /// it holds none of, an unknown audience). Audited; not a failed login.
        case tokenRefused(OAuthError)
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

    /// What a verified password still needs (SPEC §7). API keys and tokens need nothing.
    enum SecondFactor: Sendable, Equatable {
        case none
        /// MFA is on and this code was presented: checked in the writer.
        case code(String)
        /// MFA is on and no code came; or MFA is required and not on, for a `LOGIN`.
        case missing
        /// MFA is required and not on: the session may only enrol (an `AUTH`).
        case enrolmentOnly
        /// HTTP Basic of a user whose MFA is on or required: refused.
        case refused
    }

    /// `otp`: the code of `otp=`, if the request had one. `webSession`: the id digest of
    /// the web session a successful sign-in of the pages starts (SPEC §11), in the same
    /// transaction as the attempt's audit entry, which carries it to every node.
    /// `client`: an OAuth client (SPEC §13), whose only secret is an API key of a service user.
    func attempt(username raw: String, secret: String, otp: String? = nil, source: String, action: String,
                 token request: TokenRequest? = nil, recordSuccess: Bool = true, webSession: String? = nil,
                 client: Bool = false) async -> AttemptResult {
        let name = Identifier.fold(raw)
        // Attempts for unknown names are audited under a placeholder so that no
        // arbitrary text (a password typed as a username) lands in the log.
        let auditName = Identifier.isValid(name) ? name : "-"
        // An OAuth client's secret is only ever checked as an API key (below; see `begin`).
        let turn = throttle.begin(username: auditName, source: source, now: Timestamp.now(), inFlight: !client)
        if turn.waitMilliseconds > 0 { try? await Task.sleep(for: .milliseconds(turn.waitMilliseconds)) }

        let user: User? = auditName == name ? state.withLock { $0.directory.users[name] } : nil
        // An OAuth client's secret is an API key or nothing: no password is tried, so
        // no scrypt runs for it, and parallel attempts need no in-flight count.
        var check = client ? checkAPIKey(secret, of: user) ?? SecretCheck() : await checkSecret(secret, of: user)
        if user == nil { check.failure = "unknown user" }
        if check.verified, user?.status != .active { check = SecretCheck(failure: "user disabled") }
        if client, check.verified, !WardenService.isClientSecret(check.credential, of: user) {
            check = SecretCheck(failure: "not an api key of a service user")
        }

        let secondFactor = check.verified ? self.secondFactor(of: user, check.credential, otp: otp, login: action == "login",
                                                              basic: !recordSuccess) : .none
        if secondFactor == .refused { check = SecretCheck(failure: "mfa is on or required: no password over http basic") }
        if webSession != nil, check.verified, check.credential != .password {
            check = SecretCheck(failure: "api keys do not sign in to the web pages")
        }

        var issued: IssuedToken?
        var access: AccessClaims?
        if check.verified, secondFactor != .missing, let user, let request {
            if let wanted = request.access {
                switch accessGrant(to: user, audience: request.audience, scope: wanted.scope) {
                case .success(let granted): access = granted
                case .failure(let refusal):
                    return await refuse(refusal, turn, client: name, source: source, action: action)
                }
            }
            issued = try? makeToken(for: user, audience: request.audience, ttl: request.ttl, now: Timestamp.now(), access: access)
            if issued == nil { check = SecretCheck(failure: "no signing key") }
        }
        if check.verified, !recordSuccess, let user, request == nil {
            // HTTP Basic: successes are counted in /metrics, not written (SPEC §2.5).
            throttle.succeeded(turn)
            metrics.increment("logins_ok")
            return .success(user, nil, check.credential, mustEnrol: false)
        }
        let outcome: Recorded
        do {
            outcome = try await record(check, secondFactor, name: name, auditName: auditName, user: user, token: issued,
                                       detail: webSession == nil ? tokenDetail(request, issued) : "web",
                                       source: source, action: action, webSession: webSession)
        } catch {
            logger.error("login could not be recorded", metadata: ["error": "\(error.code.rawValue)"])
            if check.verified { throttle.abandoned(turn) } else { throttle.failed(turn, now: Timestamp.now()) }
            return .unavailable
        }
        guard case .success(let committed) = outcome else {
            // A missing code fails the attempt in the throttle too: otherwise a guesser
            // who knows the password could reset its count between wrong codes.
            throttle.failed(turn, now: Timestamp.now())
            metrics.increment("logins_failed")
            return outcome == .mfaRequired ? .mfaRequired : .failure
        }
        throttle.succeeded(turn)
        metrics.increment("logins_ok")
        if issued != nil { metrics.increment("tokens_issued") }
        return .success(committed, issued, check.credential, mustEnrol: secondFactor == .enrolmentOnly)
    }

    /// What a verified secret of `user` still needs before the attempt succeeds.
    func secondFactor(of user: User?, _ credential: SessionCredential, otp: String?, login: Bool, basic: Bool) -> SecondFactor {
        guard let user, credential == .password else { return .none }
        let policy = configuration.mfa
        let (isOn, holdsWarden) = state.withLock { state in
            (state.mfaIsOn(user.id),
             policy != .optional && !state.directory.wardenPermissions(of: user.name, at: Timestamp.now()).isEmpty)
        }
        if isOn {
            if basic { return .refused }
            return otp.map(SecondFactor.code) ?? .missing
        }
        guard policy.requiresMFA(holdsWarden: holdsWarden) else { return .none }
        if basic { return .refused }
        return login ? .missing : .enrolmentOnly
    }

    /// Checks `secret` as one of the user's API keys, else as their password, on the
    /// hashing pool. Every path that reaches scrypt spends at least the configured
    /// cost, so the reply's time tells nothing: an unknown user, a user without a
    /// password, a secret too long to be a password, and a stored hash weaker than the
    /// configured cost (padded with one more derivation) all take as long as a check
    /// of a hash at the configured cost.
    /// The API key of `user` that `secret` is, compared in constant time; nil for none.
    func checkAPIKey(_ secret: String, of user: User?) -> SecretCheck? {
        guard secret.hasPrefix(WardenService.apiKeyPrefix), let user else { return nil }
        let digest = Array(Hex.encode(Digest.sha256(Array(secret.utf8))).utf8)
        let keys = state.withLock { $0.apiKeys[user.id] ?? [] }
        guard let key = keys.first(where: { ConstantTime.equals(Array($0.keyHash.utf8), digest) }) else { return nil }
        return SecretCheck(verified: true, credential: .apiKey(id: key.id))
    }

    func checkSecret(_ secret: String, of user: User?) async -> SecretCheck {
        if let apiKey = checkAPIKey(secret, of: user) { return apiKey }
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

    /// What recording an attempt decided.
    enum Recorded: Sendable, Equatable {
        /// The user as committed.
        case success(User)
        /// Wrong secret or code, or the user changed between the check and the commit.
        case failure
        case mfaRequired
    }

    /// Writes the attempt: on success the login time, an upgraded hash, the code spent
    /// and the token; on failure the user's failure count; the audit entry either way.
    private func record(
        _ check: SecretCheck, _ secondFactor: SecondFactor, name: String, auditName: String, user: User?, token: IssuedToken?,
        detail: String, source: String, action: String, webSession: String?
    ) async throws(WardenError) -> Recorded {
        // On a full disk, the logins of those who can offboard still go through.
        let offboarder = check.verified && !state.withLock { $0.directory.wardenPermissions(of: name, at: .now()) }.isEmpty
        // An OAuth access token for a client whose last sign-in was recorded less than a
        // minute ago, with no failures to reset, writes only the token and its audit entry:
        // it reads the client's row, not writes it, so that one client's many tokens can
        // share a commit. `last-login` then moves at most once a minute for it.
        let tokenOnly: Bool = {
            guard check.verified, let user, token?.access != nil, case .apiKey = check.credential, user.failedLogins == 0,
                  let last = user.lastLogin else { return false }
            return Timestamp.now().milliseconds - last.milliseconds < 60_000
        }()
        let scope: WriteScope = if tokenOnly, let token {
            .keys(["token:\(token.record.jti)"], reads: ["user:\(name)"])
        } else {
            .keys(["user:\(name)"])
        }
        return try await store.writer.submit(scope, priority: offboarder ? .offboarding : .ordinary) { [self] transaction in
            guard check.verified, let user, let current = state.withLock({ $0.directory.users[name] }), current.id == user.id,
                  current.status == .active else {
                if let user, !tokenOnly { try transaction.write(.loginFailed(userID: user.id)) }
                try transaction.audit(actor: auditName, source: source, action: action, target: auditName,
                                      detail: check.verified ? "user changed during login" : check.failure, result: .failed)
                return Committed(Recorded.failure)
            }
            var detail = detail
            switch secondFactor {
            case .none, .refused:
                break
            case .missing:
                // The password was right: no failure counted against the account, but the
                // attempt is audited (it did not sign in).
                let missing = state.withLock { $0.mfaIsOn(user.id) } ? "mfa code required" : "mfa enrolment required"
                try transaction.audit(actor: name, source: source, action: action, target: name, detail: missing, result: .failed)
                return Committed(Recorded.mfaRequired)
            case .enrolmentOnly:
                detail = [detail, "mfa=enrol-required"].filter { !$0.isEmpty }.joined(separator: " ")
            case .code(let code):
                // Checked against the record as committed: a code is accepted once.
                if let record = state.withLock({ $0.mfa[user.id] }), record.isOn {
                    let verdict = checkCode(code, against: record, at: transaction.now)
                    guard case .accepted(let spend, let how) = verdict else {
                        try transaction.write(.loginFailed(userID: user.id))
                        try transaction.audit(actor: name, source: source, action: action, target: name,
                                              detail: verdict == .replayed ? "mfa code already used" : "wrong mfa code", result: .failed)
                        return Committed(Recorded.failure)
                    }
                    try transaction.write(spend)
                    detail = [detail, "mfa=\(how)"].filter { !$0.isEmpty }.joined(separator: " ")
                }
            }
            if !tokenOnly { try transaction.write(.loggedIn(userID: user.id, at: transaction.now, upgradedHash: check.upgradedHash)) }
            if let token { try transaction.write(.tokenIssued(token.record)) }
            if let webSession {
                try transaction.write(.webSessionStarted(WebSession(digest: webSession, userID: user.id, started: transaction.now)))
            }
            try transaction.audit(actor: name, source: source, action: action, target: name, detail: detail)
            return Committed(Recorded.success(current))
        }
    }
}
