import WardenCore

/// SQLite's interpreter of `Change`: each change as the statements that write it, in
/// the transaction of its batch, on the writer's connection.
final class SQLiteInterpreter: ChangeInterpreter {
    let connection: Connection
    /// The batch's instant (tokens live at it are the ones a disable marks).
    let now: Timestamp

    init(connection: Connection, now: Timestamp) {
        self.connection = connection
        self.now = now
    }

    func insertUser(_ user: User) throws -> Int64 {
        try insertUser(user, id: nil)
    }

    /// The entry alone: a single node has no feed to carry changes to.
    func append(_ entry: AuditRecord, carrying changes: ArraySlice<Change>) throws {
        try SQLiteInterpreter.insert(entry, into: connection)
    }

    func recordHealthCheck() throws {
        try connection.run("UPDATE health SET checked_ms = ? WHERE id = 1", .integer(now.milliseconds))
    }

    static func insert(_ entry: AuditRecord, into connection: Connection) throws(SQLiteError) {
        try connection.run(
            "INSERT INTO audit (seq, time, actor, source, action, target, detail, result, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?,?)",
            .integer(entry.seq), .text(entry.time), .text(entry.actor), .text(entry.source), .text(entry.action),
            .text(entry.target), .text(entry.detail), .text(entry.result), .text(entry.previousHash), .text(entry.hash))
    }

    /// Writes `change` (a new user goes through `addUser`, which gives it its id).
    func write(_ change: Change) throws {
        switch change {
        case .userAdded(let user):
            _ = try insertUser(user, id: user.id)
        case .profileChanged(let id, let displayName, let email):
            try updateUserProfile(id: id, displayName: displayName, email: email)
        case .passwordReset(let id, let phc, _):
            try setPasswordHash(id: id, phc: phc)
            try markTokens(userID: id, as: .revoked)
        case .passwordSet(let id, let phc):
            try setPasswordHash(id: id, phc: phc)
        case .disabled(let id):
            try setStatus(id: id, .disabled)
            try markTokens(userID: id, as: .disabled)
        case .enabled(let id):
            try setStatus(id: id, .active)
            try markTokens(userID: id, as: .revoked)
        case .userDeleted(let id):
            try markTokens(userID: id, as: .revoked)
            try deleteUser(id: id)
        case .loggedIn(let id, let time, let upgradedHash):
            try recordLogin(id: id, at: time)
            if let upgradedHash { try setPasswordHash(id: id, phc: upgradedHash) }
        case .loginFailed(let id):
            try recordFailedLogin(id: id)
        case .externalIDChanged(let id, let externalID):
            try connection.run("UPDATE users SET external_id = ? WHERE id = ?", .optional(externalID), .integer(id))
        case .userModified(let id, let time):
            try connection.run("UPDATE users SET modified_ms = ? WHERE id = ?", .integer(time.milliseconds), .integer(id))
        case .systemAdded(let system):
            try insertSystem(system)
        case .systemChanged(let system):
            try updateSystem(system)
        case .systemDeleted(let name):
            try deleteSystem(name)
        case .roleAdded(let role):
            try insertRole(role)
        case .roleDeleted(let name):
            try deleteRole(name)
        case .roleEntitlementAdded(let role, let entitlement):
            try addRoleEntitlement(role: role, entitlement)
        case .roleEntitlementRemoved(let role, let entitlement):
            try removeRoleEntitlement(role: role, entitlement)
        case .roleIncluded(let role, let included):
            try addRoleInclude(role: role, included: included)
        case .roleExcluded(let role, let included):
            try removeRoleInclude(role: role, included: included)
        case .granted(let id, let grant):
            try putGrant(userID: id, grant)
        case .grantRevoked(let id, let target):
            try deleteGrant(userID: id, target)
        case .allGrantsRevoked(let id):
            try deleteAllGrants(userID: id)
        case .tokenIssued(let token):
            try insertIssuedToken(token)
        case .tokenRevoked(let jti):
            try revokeToken(jti: jti)
        case .tokensPruned(let time):
            try pruneTokens(expiredBefore: time)
        case .signingKeyAdded(let key):
            try insertSigningKey(key)
        case .signingKeyRetired(let kid, let time):
            try retireSigningKey(kid: kid, at: time)
        case .apiKeyAdded(let key):
            try insertAPIKey(key)
        case .apiKeyRevoked(let id, let userID):
            try deleteAPIKey(id: id, userID: userID)
        case .inviteIssued(let invite):
            try putInvite(invite)
        case .inviteDeleted(let id):
            try deleteInvite(userID: id)
        case .mfaEnrolled, .mfaConfirmed, .mfaCodeAccepted, .mfaRecoveryCodeUsed, .mfaRemoved:
            try write(mfa: change)
        case .roleExternalIDChanged(let role, let externalID):
            try connection.run("UPDATE roles SET external_id = ? WHERE name = ?", .optional(externalID), .text(role))
        case .roleSettingsChanged, .requestMade, .requestChanged, .separationRuleAdded, .separationRuleDeleted:
            try write(governance: change)
        case .reviewStarted, .reviewItemDecided, .reviewClosed:
            try write(review: change)
        case .webSessionStarted, .webSessionEnded:
            break  // memory only (docs/architecture.md, "Web pages")
        }
    }
}

extension AuditChain {
    /// Appends the next entry to a SQLite database directly (tools and tests).
    public mutating func append(
        to connection: Connection, time: String, actor: String, source: String,
        action: String, target: String, detail: String, result: AuditRecord.Result
    ) throws(SQLiteError) {
        var next = self
        let entry = next.append(time: time, actor: actor, source: source, action: action, target: target, detail: detail, result: result)
        try SQLiteInterpreter.insert(entry, into: connection)
        self = next
    }
}
