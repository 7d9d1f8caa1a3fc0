import PostgresNIO
import WardenCore
import WardenStore

/// PostgreSQL's interpreter of `Change`: each change as the statements that write it
/// (schema/postgres/), for the writer to run in order in the transaction of its batch.
///
/// It writes the same rows as SQLite's interpreter (`Transaction.write` in WardenStore):
/// the same token marking on a disable, an enable, a reset and a delete, the same
/// cascades. Values are always bound parameters (postgres-nio's interpolation binds,
/// and marks every bind as protected, so that none reaches a log); the SQL is fixed text.
/// The service has checked each change against memory before it is written.
public enum PostgresStatements {
    /// The statements that write `change`, to run in order in one transaction.
    public static func statements(for change: Change) -> [PostgresQuery] {
        switch change {
        case .userAdded(let user):
            return insertUser(user, id: user.id)
        case .profileChanged(let id, let displayName, let email):
            return ["UPDATE users SET display_name = \(displayName), email = \(email) WHERE id = \(id)"]
        case .passwordReset(let id, let phc, _):
            return [setPasswordHash(id: id, phc: phc), markTokens(userID: id, as: .revoked)]
        case .passwordSet(let id, let phc):
            return [setPasswordHash(id: id, phc: phc)]
        case .disabled(let id):
            return [setStatus(id: id, .disabled), markTokens(userID: id, as: .disabled)]
        case .enabled(let id):
            return [setStatus(id: id, .active), markTokens(userID: id, as: .revoked)]
        case .userDeleted(let id):
            // issued_tokens has no foreign key (a deleted user's tokens must stay
            // revoked, not vanish), so they are marked first; grants, API keys and the
            // invite go with the row (ON DELETE CASCADE).
            return [markTokens(userID: id, as: .revoked), "DELETE FROM users WHERE id = \(id)"]
        case .loggedIn(let id, let time, let upgradedHash):
            var statements: [PostgresQuery] = [
                "UPDATE users SET last_login_ms = \(time.milliseconds), failed_logins = 0 WHERE id = \(id)",
            ]
            if let upgradedHash { statements.append(setPasswordHash(id: id, phc: upgradedHash)) }
            return statements
        case .loginFailed(let id):
            return ["UPDATE users SET failed_logins = failed_logins + 1 WHERE id = \(id)"]
        case .externalIDChanged(let id, let externalID):
            return ["UPDATE users SET external_id = \(externalID) WHERE id = \(id)"]
        case .userModified(let id, let time):
            return ["UPDATE users SET modified_ms = \(time.milliseconds) WHERE id = \(id)"]
        case .systemAdded(let system):
            return insertSystem(system)
        case .systemChanged(let system):
            return updateSystem(system)
        case .systemDeleted(let name):
            return deleteSystem(name)
        case .roleAdded(let role):
            return insertRole(role)
        case .roleDeleted(let name):
            return deleteRole(name)
        case .roleEntitlementAdded(let role, let entitlement):
            return [addRoleEntitlement(role: role, entitlement)]
        case .roleEntitlementRemoved(let role, let entitlement):
            return [removeRoleEntitlement(role: role, entitlement)]
        case .roleIncluded(let role, let included):
            return [addRoleInclude(role: role, included: included)]
        case .roleExcluded(let role, let included):
            return [removeRoleInclude(role: role, included: included)]
        case .granted(let id, let grant):
            return putGrant(userID: id, grant)
        case .grantRevoked(let id, let target):
            return [deleteGrant(userID: id, target)]
        case .allGrantsRevoked(let id):
            return ["DELETE FROM grants WHERE user_id = \(id)"]
        case .tokenIssued(let token):
            return insertIssuedToken(token)
        case .tokenRevoked(let jti):
            return ["UPDATE issued_tokens SET revoked = 'revoked' WHERE jti = \(jti)"]
        case .tokensPruned(let time):
            return ["DELETE FROM issued_tokens WHERE exp_ms < \(time.milliseconds)"]
        case .signingKeyAdded(let key):
            return [insertSigningKey(key)]
        case .signingKeyRetired(let kid, let time):
            return [retireSigningKey(kid: kid, at: time)]
        case .apiKeyAdded(let key):
            return [insertAPIKey(key)]
        case .apiKeyRevoked(let id, let userID):
            return ["DELETE FROM api_keys WHERE id = \(id) AND user_id = \(userID)"]
        case .inviteIssued(let invite):
            return [putInvite(invite)]
        case .inviteDeleted(let id):
            return ["DELETE FROM invites WHERE user_id = \(id)"]
        case .mfaEnrolled, .mfaConfirmed, .mfaCodeAccepted, .mfaRecoveryCodeUsed, .mfaRemoved:
            return statements(mfa: change)
        case .roleExternalIDChanged(let role, let externalID):
            return ["UPDATE roles SET external_id = \(externalID) WHERE name = \(role)"]
        case .roleSettingsChanged, .requestMade, .requestChanged, .separationRuleAdded, .separationRuleDeleted:
            return statements(governance: change)
        case .reviewStarted, .reviewItemDecided, .reviewClosed:
            return statements(review: change)
        case .webSessionStarted, .webSessionEnded:
            // Memory only: the change feed (the audit entry's changes) carries them.
            return []
        }
    }

    // MARK: Audit chain

    /// Appends entries to the audit chain, each with the changes it carries
    /// (`ChangeCodec.encode`, "" for none: the entries are also the change feed), moves
    /// the head (the one row of audit_head) to `head`, the last of them, and sends the
    /// other nodes `wakeUp` (delivered at the commit): one statement, one round trip,
    /// each column of the entries an array parameter. The parts write different tables,
    /// so their running as one statement (the same snapshot, in no set order) writes
    /// what running them one after another would.
    public static func appendAudit(
        _ entries: [(entry: AuditRecord, changes: String)], head: (seq: Int64, hash: String), wakeUp: (channel: String, payload: String)
    ) -> PostgresQuery {
        let seqs = entries.map(\.entry.seq), times = entries.map(\.entry.time), actors = entries.map(\.entry.actor)
        let sources = entries.map(\.entry.source), actions = entries.map(\.entry.action), targets = entries.map(\.entry.target)
        let details = entries.map(\.entry.detail), results = entries.map(\.entry.result)
        let previous = entries.map(\.entry.previousHash), hashes = entries.map(\.entry.hash), changes = entries.map(\.changes)
        return """
            WITH appended AS (
                INSERT INTO audit (seq, time, actor, source, action, target, detail, result, prev_hash, hash, changes)
                SELECT * FROM unnest(\(seqs)::bigint[], \(times)::text[], \(actors)::text[], \(sources)::text[], \(actions)::text[],
                                     \(targets)::text[], \(details)::text[], \(results)::text[], \(previous)::text[], \(hashes)::text[],
                                     \(changes)::text[])
            ), moved AS (
                UPDATE audit_head SET seq = \(head.seq), hash = \(head.hash) WHERE id = 1
            )
            SELECT pg_notify(\(wakeUp.channel), \(wakeUp.payload))
            """
    }
}
