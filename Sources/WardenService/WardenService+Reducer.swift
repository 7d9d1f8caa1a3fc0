import WardenCore
import WardenCrypto
import WardenStore

/// The one reducer: how committed changes reach memory. The writer calls it after
/// each commit with the batch's changes in order, before the callers are answered;
/// on PostgreSQL the change feed will call it with the other nodes' changes too.
extension WardenService {
    func apply(_ changes: [Change], committedAt now: Timestamp) {
        // Role closures are recomputed here, off the state lock: only the writer
        // thread changes roles, so the graph read here is the one the lock holds, and
        // under the lock the new graph is only installed (a deep chain never stalls CHECK).
        var roles: (graph: RoleGraph, affected: Set<String>)?
        if changes.contains(where: \.changesRoles) {
            var graph = state.withLock { $0.directory.roleGraph }
            var affected: Set<String> = []
            for change in changes where change.changesRoles { affected.formUnion(graph.apply(change)) }
            roles = (graph, affected)
        }
        // New signing keys are opened off the lock too.
        var keys: [String: Keyring.Entry] = [:]
        for case .signingKeyAdded(let record) in changes {
            keys[record.kid] = openSigningKey(record, store: store)
        }
        func applyAll(to state: inout ServiceState) {
            if let roles { state.directory.adoptRoles(roles.graph, affected: roles.affected) }
            for change in changes { state.apply(change, at: now, keys: keys) }
        }
        guard scansHoldingState.load(ordering: .relaxed) > 0 else {
            state.withLock { applyAll(to: &$0) }
            return
        }
        // A scan holds a copy of the state: changing it under the lock would copy the
        // whole directory there (copy-on-write), and every CHECK would wait for that.
        // So the copy is made and changed here, off the lock, and only installed under
        // it. Nothing is lost meanwhile: this reducer, on the writer thread, is the only
        // code that changes the state. The replaced state is freed after the lock too.
        var working = state.withLock { $0 }
        applyAll(to: &working)
        let replaced = state.withLock { state in
            let replaced = state
            state = working
            return replaced
        }
        _ = consume replaced
    }
}

extension WardenService {
    /// The credential attempts whose failures and successes the throttle counts.
    static let credentialActions: Set<String> = [
        "auth", "login", "http.basic", "activate", "passwd", "auth.token", "mfa.confirm", "mfa.disable",
    ]

    /// Another node's audit entry: a credential attempt counts in this node's throttle
    /// too, so that guessing is slowed across the cluster, not per node.
    func observe(_ entry: CommittedEntry) {
        guard WardenService.credentialActions.contains(entry.action), entry.result != "denied" else { return }
        // `AUTH TOKEN` guesses no password: only its source's count applies.
        let username = entry.action == "auth.token" ? nil : entry.actor
        throttle.observe(username: username, source: entry.source, failed: entry.result == "failed", at: entry.time)
    }
}

/// The private half of a signing key, opened from its sealed form; nil (logged) when
/// it is missing.
func openSigningKey(_ record: SigningKeyRecord, store: any Storage) -> Keyring.Entry? {
    guard let algorithm = SigningAlgorithm(rawValue: record.algorithm),
          let pem = try? store.secrets.pem(of: record),
          let signer = try? SigningKey(pkcs8PEM: pem, algorithm: algorithm) else { return nil }
    return Keyring.Entry(record: record, signer: signer)
}

extension ServiceState {
    /// Applies one committed change: the directory's part, then the credentials'.
    mutating func apply(_ change: Change, at now: Timestamp, keys: [String: Keyring.Entry]) {
        directory.apply(change)
        if let id = change.endsWebSessions { endWebSessions(userID: id) }
        switch change {
        case .passwordReset(let id, _, _), .enabled(let id):
            markTokens(userID: id, as: .revoked, now: now)
        case .disabled(let id):
            markTokens(userID: id, as: .disabled, now: now)
        case .userDeleted(let id):
            markTokens(userID: id, as: .revoked, now: now)
            forgetCredentials(userID: id)
        case .tokenIssued(let token):
            remember(token)
            keyring.noteExpiry(kid: token.kid, token.expires)
        case .tokenRevoked(let jti):
            if var token = tokens[jti] {
                token.revocation = .revoked
                tokens[jti] = token
            }
        case .tokensPruned(let time):
            forgetTokens(expiredBefore: time)
        case .signingKeyAdded(let record):
            if let entry = keys[record.kid] { keyring.add(entry) }
        case .signingKeyRetired(let kid, let time):
            keyring.retire(kid: kid, at: time)
        case .apiKeyAdded(let key):
            apiKeys[key.userID, default: []].append(key)
        case .apiKeyRevoked(let id, let userID):
            apiKeys[userID]?.removeAll { $0.id == id }
        case .inviteIssued(let invite):
            invites[invite.userID] = invite
        case .inviteDeleted(let id):
            invites[id] = nil
        case .mfaEnrolled(let record):
            mfa[record.userID] = record
        case .mfaConfirmed(let id, let time, let steps, let codes):
            mfa[id]?.confirmed = time
            mfa[id]?.usedSteps = steps
            mfa[id]?.recoveryCodes = codes
        case .mfaCodeAccepted(let id, let steps):
            mfa[id]?.usedSteps = steps
        case .mfaRecoveryCodeUsed(let id, let remaining):
            mfa[id]?.recoveryCodes = remaining
        case .mfaRemoved(let id):
            mfa[id] = nil
        case .requestMade(let request), .requestChanged(let request):
            requests[request.id] = request
        case .separationRuleAdded(let rule):
            separationRules[rule.name] = rule
        case .separationRuleDeleted(let name):
            separationRules[name] = nil
        case .reviewStarted, .reviewItemDecided, .reviewClosed:
            reviews.apply(change)
        case .webSessionStarted(let session):
            startWebSession(session)
        case .webSessionEnded(let digest):
            endWebSession(digest: digest)
        default:
            break
        }
    }
}
