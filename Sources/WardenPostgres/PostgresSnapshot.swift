import Logging
import PostgresNIO
import WardenCore
import WardenStore

/// Everything the service keeps in memory, read from PostgreSQL at start: what
/// SQLite's `Snapshot.load` reads, from the tables of schema/postgres/.
public enum PostgresSnapshot {
    /// Reads the whole state, and the seq of the last audit entry it includes (the
    /// change feed goes on from the next). Tokens already expired at `now` are left out.
    ///
    /// Two REPEATABLE READ, READ ONLY transactions that see the same committed state
    /// (`SnapshotReaders`): the grants are read on the second while the users load on
    /// the first, and the state is exactly that of the entries up to `auditSeq`,
    /// whatever other nodes commit meanwhile. Uses three of the pool's connections.
    public static func load(from client: PostgresClient, now: Timestamp, logger: Logger) async throws -> (snapshot: Snapshot, auditSeq: Int64) {
        try await SnapshotReaders.with(2, client: client, logger: logger) { readers, seq in
            let snapshot = try await read(readers[0], grantsOn: readers[1], now: now, logger: logger)
            guard snapshot.chain.lastSeq == seq else { throw StoreError.corrupt("the snapshot's audit head moved while it was read") }
            return (snapshot, seq)
        }
    }

    private static func read(
        _ connection: PostgresConnection, grantsOn grantsConnection: PostgresConnection, now: Timestamp, logger: Logger
    ) async throws -> Snapshot {
        var snapshot = Snapshot()
        // Sized once from the counts: no rehashing of million-entry tables while loading.
        let counts = try await one(connection, "SELECT (SELECT count(*) FROM users), (SELECT count(*) FROM grants)", logger, as: (Int64, Int64).self)
        var loader = Directory.Loader(users: Int(counts?.0 ?? 0))
        for system in try await readSystems(connection, logger) { loader.upsert(system) }
        loader.replaceRoles(Array(try await readRoles(connection, logger)))
        // The roles are in, so their targets are numbered before the grants number theirs.
        var empty = loader.grantRows()
        empty.reserveCapacity(Int(counts?.1 ?? 0))
        async let grants: Directory.GrantRows = { [empty] in
            var rows = empty
            try await readGrants(grantsConnection, logger, into: &rows)
            return rows
        }()
        try await readUsers(connection, logger, into: &loader)
        loader.adopt(try await grants)
        snapshot.directory = loader.finish()

        for try await row in try await connection.query(
            "SELECT jti, user_id, kid, aud, issued_ms, exp_ms, revoked FROM issued_tokens WHERE exp_ms > \(now.milliseconds)",
            logger: logger
        ) {
            var cells = PostgresCells(row)
            snapshot.tokens.append(IssuedTokenRecord(
                jti: try cells.next(), userID: try cells.next(), kid: try cells.next(), audience: try cells.next(),
                issued: Timestamp(milliseconds: try cells.next()), expires: Timestamp(milliseconds: try cells.next()),
                revocation: try cells.next(String?.self).flatMap(IssuedTokenRecord.Revocation.init(rawValue:))))
        }
        for try await (id, userID, keyHash, created) in try await connection.query(
            "SELECT id, user_id, key_hash, created_ms FROM api_keys", logger: logger
        ).decode((String, Int64, String, Int64).self) {
            snapshot.apiKeys.append(APIKeyRecord(id: id, userID: userID, keyHash: keyHash, created: Timestamp(milliseconds: created)))
        }
        for try await (userID, codeHash, expires) in try await connection.query(
            "SELECT user_id, code_hash, expires_ms FROM invites", logger: logger
        ).decode((Int64, String, Int64).self) {
            snapshot.invites.append(InviteRecord(userID: userID, codeHash: codeHash, expires: Timestamp(milliseconds: expires)))
        }
        for try await (userID, sealed, enrolled, confirmed, steps, codes) in try await connection.query(
            "SELECT user_id, sealed_secret, enrolled_ms, confirmed_ms, used_steps, recovery_codes FROM mfa", logger: logger
        ).decode((Int64, String, Int64, Int64?, [Int64], [String]).self) {
            snapshot.mfa.append(MFARecord(
                userID: userID, sealedSecret: sealed, enrolled: Timestamp(milliseconds: enrolled),
                confirmed: confirmed.map(Timestamp.init(milliseconds:)), usedSteps: steps, recoveryCodes: codes))
        }
        snapshot.requests = try await readRequests(connection, logger)
        for try await (name, left, right, description) in try await connection.query(
            "SELECT name, left_side, right_side, description FROM sod_rules", logger: logger
        ).decode((String, String, String, String).self) {
            snapshot.separationRules.append(SeparationRule(
                name: name, left: try SeparationRule.Side.parse(left), right: try SeparationRule.Side.parse(right), description: description))
        }
        snapshot.reviews = try await readReviews(connection, logger)
        for try await (kid, algorithm, publicJWK, sealed, created, retired, lastExpiry) in try await connection.query(
            "SELECT kid, alg, public_jwk, sealed_key, created_ms, retired_ms, last_exp_ms FROM signing_keys ORDER BY created_ms",
            logger: logger
        ).decode((String, String, String, String, Int64, Int64?, Int64).self) {
            snapshot.signingKeys.append(SigningKeyRecord(
                kid: kid, algorithm: algorithm, publicJWK: publicJWK, sealedKey: sealed,
                created: Timestamp(milliseconds: created), retired: retired.map(Timestamp.init(milliseconds:)),
                lastExpiry: Timestamp(milliseconds: lastExpiry)))
        }

        guard let (seq, hash) = try await one(connection, "SELECT seq, hash FROM audit_head WHERE id = 1", logger, as: (Int64, String).self) else {
            throw StoreError.corrupt("audit_head has no row")
        }
        // audit_head starts at (0, ''): no entry yet, the chain starts from genesis.
        snapshot.chain = AuditChain(lastSeq: seq, head: hash.isEmpty ? AuditRecord.genesisHash : hash)
        return snapshot
    }

    private static func readSystems(_ connection: PostgresConnection, _ logger: Logger) async throws -> Dictionary<String, SystemDefinition>.Values {
        var systems: [String: SystemDefinition] = [:]
        for try await (name, description) in try await connection.query(
            "SELECT name, description FROM systems", logger: logger
        ).decode((String, String).self) {
            systems[name] = SystemDefinition(name: name, description: description)
        }
        for try await (system, permission) in try await connection.query(
            "SELECT system, permission FROM system_permissions", logger: logger
        ).decode((String, String).self) {
            systems[system]?.permissions.insert(permission)
        }
        return systems.values
    }

    private static func readRoles(_ connection: PostgresConnection, _ logger: Logger) async throws -> Dictionary<String, Role>.Values {
        var roles: [String: Role] = [:]
        for try await (name, description, requestable, approvers, approvals, maximum, externalID) in try await connection.query(
            "SELECT name, description, requestable, approvers, approvals, max_request_s, external_id FROM roles", logger: logger
        ).decode((String, String, Bool, String?, Int, Int64, String?).self) {
            roles[name] = Role(name: name, description: description, requests: RequestSettings(
                requestable: requestable, approvers: approvers, approvals: approvals, maximum: maximum), externalID: externalID)
        }
        for try await (role, system, permission) in try await connection.query(
            "SELECT role, system, permission FROM role_entitlements", logger: logger
        ).decode((String, String, String).self) {
            roles[role]?.entitlements.insert(Entitlement(system: system, permission: permission))
        }
        for try await (role, included) in try await connection.query(
            "SELECT role, included FROM role_includes", logger: logger
        ).decode((String, String).self) {
            roles[role]?.includes.insert(included)
        }
        return roles.values
    }

    private static func readRequests(_ connection: PostgresConnection, _ logger: Logger) async throws -> [AccessRequest] {
        var requests: [AccessRequest] = []
        for try await row in try await connection.query("""
            SELECT id, user_id, role, duration_s, reason, status, created_ms, approved_by, denied_by, decided_ms, until_ms
            FROM access_requests ORDER BY id
            """, logger: logger) {
            let (id, userID, role, duration, reason, status, created, approvedBy, deniedBy, decided, until) = try row.decode(
                (Int64, Int64, String, Int64, String, String, Int64, [String], String?, Int64?, Int64?).self)
            requests.append(AccessRequest(
                id: id, userID: userID, role: role, duration: duration, reason: reason, status: AccessRequest.Status(rawValue: status) ?? .expired,
                created: Timestamp(milliseconds: created), approvedBy: approvedBy, deniedBy: deniedBy,
                decided: decided.map(Timestamp.init(milliseconds:)), until: until.map(Timestamp.init(milliseconds:))))
        }
        return requests
    }

    /// The first row of a query, if any.
    private static func one<each Column: PostgresDecodable & Sendable>(
        _ connection: PostgresConnection, _ query: PostgresQuery, _ logger: Logger, as type: (repeat each Column).Type
    ) async throws -> (repeat each Column)? {
        var first: (repeat each Column)?
        var found = false
        for try await row in try await connection.query(query, logger: logger) where !found {
            first = try row.decode(type)
            found = true
        }
        return first
    }
}
