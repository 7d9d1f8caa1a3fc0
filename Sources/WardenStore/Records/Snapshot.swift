import WardenCore

/// Everything the service keeps in memory, read from the database at start.
public struct Snapshot: Sendable {
    public var directory = Directory()
    public var tokens: [IssuedTokenRecord] = []
    public var apiKeys: [APIKeyRecord] = []
    public var invites: [InviteRecord] = []
    public var signingKeys: [SigningKeyRecord] = []
    public var chain = AuditChain()

    /// Reads the whole state. Tokens already expired at `now` are left out.
    public static func load(from db: Connection, now: Timestamp) throws(SQLiteError) -> Snapshot {
        var snapshot = Snapshot()
        // Sized once from the counts: no rehashing of million-entry tables while loading.
        let userCount = try db.queryOne("SELECT count(*) FROM users") { $0.int(0) } ?? 0
        var loader = Directory.Loader(users: Int(userCount))
        // In id order (the table's own order, no sort), as the loader wants them.
        let users = try db.prepare("""
            SELECT id, name, display_name, email, kind, status, created_ms, last_login_ms, failed_logins, password_hash
            FROM users ORDER BY id
            """)
        while let row = try users.step() {
            loader.add(User(
                id: row.int(0), name: row.text(1), displayName: row.text(2), email: row.text(3),
                kind: User.Kind(rawValue: row.text(4)) ?? .person,
                status: User.Status(rawValue: row.text(5)) ?? .disabled,
                created: Timestamp(milliseconds: row.int(6)),
                lastLogin: row.optionalInt(7).map(Timestamp.init(milliseconds:)),
                failedLogins: Int(row.int(8)), passwordHash: row.optionalText(9)))
        }
        users.reset()
        var systems: [String: SystemDefinition] = [:]
        for (name, description) in try db.query("SELECT name, description FROM systems", [], { ($0.text(0), $0.text(1)) }) {
            systems[name] = SystemDefinition(name: name, description: description)
        }
        for (system, permission) in try db.query("SELECT system, permission FROM system_permissions", [], { ($0.text(0), $0.text(1)) }) {
            systems[system]?.permissions.insert(permission)
        }
        for system in systems.values { loader.upsert(system) }
        var roles: [String: Role] = [:]
        for (name, description) in try db.query("SELECT name, description FROM roles", [], { ($0.text(0), $0.text(1)) }) {
            roles[name] = Role(name: name, description: description)
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
        try loadGrants(from: db, into: &loader)
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
        snapshot.signingKeys = try db.query(
            "SELECT kid, alg, public_jwk, created_ms, retired_ms, last_exp_ms FROM signing_keys ORDER BY created_ms", []
        ) { row in
            SigningKeyRecord(
                kid: row.text(0), algorithm: row.text(1), publicJWK: row.text(2),
                created: Timestamp(milliseconds: row.int(3)), retired: row.optionalInt(4).map(Timestamp.init(milliseconds:)),
                lastExpiry: Timestamp(milliseconds: row.int(5)))
        }
        snapshot.chain = try AuditChain.load(from: db)
        return snapshot
    }

    /// The grants, each user's given to the directory at once. Rows come in table order,
    /// which is mostly by user (grants are made a user at a time); a user whose grants
    /// are spread out gets them in a few pieces. Reason, granter and time stay in SQLite.
    private static func loadGrants(from db: Connection, into loader: inout Directory.Loader) throws(SQLiteError) {
        let statement = try db.prepare("SELECT user_id, role, system, permission, until_ms FROM grants")
        defer { statement.reset() }
        var pending: [(target: GrantTarget, until: Timestamp?)] = []
        var pendingUser: Int64 = -1
        func flush(_ loader: inout Directory.Loader) {
            if !pending.isEmpty { loader.add(pending, userID: pendingUser) }
            pending.removeAll(keepingCapacity: true)
        }
        while let row = try statement.step() {
            let userID = row.int(0)
            if userID != pendingUser {
                flush(&loader)
                pendingUser = userID
            }
            let target: GrantTarget = if let role = row.optionalText(1) {
                .role(role)
            } else {
                .entitlement(Entitlement(system: row.text(2), permission: row.text(3)))
            }
            pending.append((target, row.optionalInt(4).map(Timestamp.init(milliseconds:))))
        }
        flush(&loader)
    }
}
