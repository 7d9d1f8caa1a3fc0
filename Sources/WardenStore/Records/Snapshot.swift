import Dispatch
import Synchronization
import WardenCore

/// Everything the service keeps in memory, read from the database at start.
public struct Snapshot: Sendable {
    public var directory = Directory()
    public var tokens: [IssuedTokenRecord] = []
    public var apiKeys: [APIKeyRecord] = []
    public var invites: [InviteRecord] = []
    public var mfa: [MFARecord] = []
    public var requests: [AccessRequest] = []
    public var separationRules: [SeparationRule] = []
    /// Access reviews with their items (SPEC §9).
    public var reviews: [AccessReview] = []
    public var signingKeys: [SigningKeyRecord] = []
    public var chain = AuditChain()

    /// An empty state, for another backend's loader (`PostgresSnapshot`) to fill.
    public init() {}

    /// Reads the whole state. Tokens already expired at `now` are left out. With a
    /// second connection `side`, the grants are read on another thread while the users
    /// load (the two largest tables, about half the start-up each at a million users).
    public static func load(from db: Connection, side: Connection? = nil, now: Timestamp) throws(SQLiteError) -> Snapshot {
        var snapshot = Snapshot()
        // Sized once from the counts: no rehashing of million-entry tables while loading.
        let userCount = try db.queryOne("SELECT count(*) FROM users") { $0.int(0) } ?? 0
        var loader = Directory.Loader(users: Int(userCount))
        var systems: [String: SystemDefinition] = [:]
        for (name, description) in try db.query("SELECT name, description FROM systems", [], { ($0.text(0), $0.text(1)) }) {
            systems[name] = SystemDefinition(name: name, description: description)
        }
        for (system, permission) in try db.query("SELECT system, permission FROM system_permissions", [], { ($0.text(0), $0.text(1)) }) {
            systems[system]?.permissions.insert(permission)
        }
        for system in systems.values { loader.upsert(system) }
        var roles: [String: Role] = [:]
        for role in try db.query("SELECT name, description, requestable, approvers, approvals, max_request_s, external_id FROM roles", [], { row in
            Role(name: row.text(0), description: row.text(1), requests: RequestSettings(
                requestable: row.int(2) != 0, approvers: row.optionalText(3), approvals: Int(row.int(4)), maximum: row.int(5)),
                externalID: row.optionalText(6))
        }) {
            roles[role.name] = role
        }
        for (role, system, permission) in try db.query("SELECT role, system, permission FROM role_entitlements", [], {
            ($0.text(0), $0.text(1), $0.text(2))
        }) {
            roles[role]?.entitlements.insert(Entitlement(system: system, permission: permission))
        }
        for (role, included) in try db.query("SELECT role, included FROM role_includes", [], { ($0.text(0), $0.text(1)) }) {
            roles[role]?.includes.insert(included)
        }
        loader.replaceRoles(Array(roles.values))
        // Grants: numbered against the roles' targets, on the side connection's thread if any.
        let empty = loader.grantRows()
        let reading: GrantReading
        if let side {
            reading = GrantReading(side, into: empty)
        } else {
            reading = GrantReading(result: Result { () throws(SQLiteError) in try readGrants(from: db, into: empty) })
        }
        // In id order (the table's own order, no sort), as the loader wants them.
        let usersRead = Result { () throws(SQLiteError) in
            let users = try db.prepare("""
                SELECT id, name, display_name, email, kind, status, created_ms, last_login_ms, failed_logins, password_hash,
                       external_id, modified_ms
                FROM users ORDER BY id
                """)
            defer { users.reset() }
            while let row = try users.step() {
                loader.add(User(
                    id: row.int(0), name: row.text(1), displayName: row.text(2), email: row.text(3),
                    kind: User.Kind(rawValue: row.text(4)) ?? .person,
                    status: User.Status(rawValue: row.text(5)) ?? .disabled,
                    created: Timestamp(milliseconds: row.int(6)),
                    lastLogin: row.optionalInt(7).map(Timestamp.init(milliseconds:)),
                    failedLogins: Int(row.int(8)), passwordHash: row.optionalText(9), externalID: row.optionalText(10),
                    modified: row.optionalInt(11).map(Timestamp.init(milliseconds:))))
            }
        }
        // Wait for the grants even when the users failed: the side connection is in use.
        let grantsRead = reading.wait()
        try usersRead.get()
        loader.adopt(try grantsRead.get())
        snapshot.directory = loader.finish()
        snapshot.tokens = try db.query(
            "SELECT jti, user_id, kid, aud, issued_ms, exp_ms, revoked FROM issued_tokens WHERE exp_ms > ?",
            [.integer(now.milliseconds)]
        ) { row in
            IssuedTokenRecord(
                jti: row.text(0), userID: row.int(1), kid: row.text(2), audience: row.text(3),
                issued: Timestamp(milliseconds: row.int(4)), expires: Timestamp(milliseconds: row.int(5)),
                revocation: row.optionalText(6).flatMap(IssuedTokenRecord.Revocation.init(rawValue:)))
        }
        snapshot.apiKeys = try db.query("SELECT id, user_id, key_hash, created_ms FROM api_keys", []) { row in
            APIKeyRecord(id: row.text(0), userID: row.int(1), keyHash: row.text(2), created: Timestamp(milliseconds: row.int(3)))
        }
        snapshot.invites = try db.query("SELECT user_id, code_hash, expires_ms FROM invites", []) { row in
            InviteRecord(userID: row.int(0), codeHash: row.text(1), expires: Timestamp(milliseconds: row.int(2)))
        }
        snapshot.mfa = try db.query(
            "SELECT user_id, sealed_secret, enrolled_ms, confirmed_ms, used_steps, recovery_codes FROM mfa", []
        ) { row in
            MFARecord(
                userID: row.int(0), sealedSecret: row.text(1), enrolled: Timestamp(milliseconds: row.int(2)),
                confirmed: row.optionalInt(3).map(Timestamp.init(milliseconds:)),
                usedSteps: MFAColumns.steps(row.text(4)), recoveryCodes: MFAColumns.codes(row.text(5)))
        }
        snapshot.requests = try db.query("""
            SELECT id, user_id, role, duration_s, reason, status, created_ms, approved_by, denied_by, decided_ms, until_ms
            FROM access_requests ORDER BY id
            """, []
        ) { row in
            AccessRequest(
                id: row.int(0), userID: row.int(1), role: row.text(2), duration: row.int(3), reason: row.text(4),
                status: AccessRequest.Status(rawValue: row.text(5)) ?? .expired, created: Timestamp(milliseconds: row.int(6)),
                approvedBy: row.text(7).split(separator: ",").map(String.init), deniedBy: row.optionalText(8),
                decided: row.optionalInt(9).map(Timestamp.init(milliseconds:)), until: row.optionalInt(10).map(Timestamp.init(milliseconds:)))
        }
        for row in try db.query("SELECT name, left_side, right_side, description FROM sod_rules", [], { ($0.text(0), $0.text(1), $0.text(2), $0.text(3)) }) {
            guard let left = try? SeparationRule.Side.parse(row.1), let right = try? SeparationRule.Side.parse(row.2) else {
                throw SQLiteError(code: 0, message: "sod rule \(row.0) has a side that does not parse")
            }
            snapshot.separationRules.append(SeparationRule(name: row.0, left: left, right: right, description: row.3))
        }
        snapshot.reviews = try loadReviews(from: db)
        snapshot.signingKeys = try db.query(
            "SELECT kid, alg, public_jwk, created_ms, retired_ms, last_exp_ms, sealed_key FROM signing_keys ORDER BY created_ms", []
        ) { row in
            SigningKeyRecord(
                kid: row.text(0), algorithm: row.text(1), publicJWK: row.text(2), sealedKey: row.optionalText(6),
                created: Timestamp(milliseconds: row.int(3)), retired: row.optionalInt(4).map(Timestamp.init(milliseconds:)),
                lastExpiry: Timestamp(milliseconds: row.int(5)))
        }
        snapshot.chain = try AuditChain.load(from: db)
        return snapshot
    }

    /// Every grant's user, target and expiry (reason, granter and time stay in SQLite),
    /// in table order.
    static func readGrants(from db: Connection, into empty: Directory.GrantRows) throws(SQLiteError) -> Directory.GrantRows {
        var rows = empty
        rows.reserveCapacity(Int(try db.queryOne("SELECT count(*) FROM grants") { $0.int(0) } ?? 0))
        let statement = try db.prepare("SELECT user_id, role, system, permission, until_ms FROM grants")
        defer { statement.reset() }
        while let row = try statement.step() {
            let target: GrantTarget = if let role = row.optionalText(1) {
                .role(role)
            } else {
                .entitlement(Entitlement(system: row.text(2), permission: row.text(3)))
            }
            rows.append(userID: row.int(0), target: target, until: row.optionalInt(4).map(Timestamp.init(milliseconds:)))
        }
        return rows
    }
}

/// The grants being read on a thread of their own (or already read).
private final class GrantReading: Sendable {
    private let result = Mutex<Result<Directory.GrantRows, SQLiteError>?>(nil)
    private let done = DispatchSemaphore(value: 0)

    init(result: Result<Directory.GrantRows, SQLiteError>) {
        self.result.withLock { $0 = result }
        done.signal()
    }

    init(_ connection: Connection, into empty: Directory.GrantRows) {
        let owned = ThreadOwned(connection)
        DispatchQueue(label: "warden.store.load-grants").async { [self] in
            let read = Result { () throws(SQLiteError) in try Snapshot.readGrants(from: owned.value, into: empty) }
            result.withLock { $0 = read }
            done.signal()
        }
    }

    func wait() -> Result<Directory.GrantRows, SQLiteError> {
        done.wait()
        done.signal()
        return result.withLock { $0! }
    }
}
