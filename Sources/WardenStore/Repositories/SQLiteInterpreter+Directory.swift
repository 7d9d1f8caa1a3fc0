import WardenCore

/// Writes of users, systems, roles and grants, for `write(_ change:)`. Every statement
/// takes bound parameters; the service has validated the values against memory before.
extension SQLiteInterpreter {
    // MARK: Users

    /// Inserts the user with `id`, or with a new id (never one used before) when nil.
    func insertUser(_ user: User, id: Int64? = nil) throws(SQLiteError) -> Int64 {
        try connection.run("""
            INSERT INTO users (id, name, display_name, email, kind, status, created_ms, failed_logins, password_hash, external_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?)
            """,
            .optional(id), .text(user.name), .text(user.displayName), .text(user.email), .text(user.kind.rawValue),
            .text(user.status.rawValue), .integer(user.created.milliseconds), .optional(user.passwordHash), .optional(user.externalID))
        return connection.lastInsertRowID
    }

    func updateUserProfile(id: Int64, displayName: String, email: String) throws(SQLiteError) {
        try connection.run("UPDATE users SET display_name = ?, email = ? WHERE id = ?", .text(displayName), .text(email), .integer(id))
    }

    func setPasswordHash(id: Int64, phc: String) throws(SQLiteError) {
        try connection.run("UPDATE users SET password_hash = ? WHERE id = ?", .text(phc), .integer(id))
    }

    func setStatus(id: Int64, _ status: User.Status) throws(SQLiteError) {
        try connection.run("UPDATE users SET status = ? WHERE id = ?", .text(status.rawValue), .integer(id))
    }

    func recordLogin(id: Int64, at time: Timestamp) throws(SQLiteError) {
        try connection.run("UPDATE users SET last_login_ms = ?, failed_logins = 0 WHERE id = ?", .integer(time.milliseconds), .integer(id))
    }

    func recordFailedLogin(id: Int64) throws(SQLiteError) {
        try connection.run("UPDATE users SET failed_logins = failed_logins + 1 WHERE id = ?", .integer(id))
    }

    func deleteUser(id: Int64) throws(SQLiteError) {
        try connection.run("DELETE FROM users WHERE id = ?", .integer(id))
    }

    // MARK: Systems

    func insertSystem(_ system: SystemDefinition) throws(SQLiteError) {
        try connection.run("INSERT INTO systems (name, description) VALUES (?, ?)", .text(system.name), .text(system.description))
        for permission in system.permissions.sorted() {
            try connection.run("INSERT INTO system_permissions (system, permission) VALUES (?, ?)", .text(system.name), .text(permission))
        }
    }

    func updateSystem(_ system: SystemDefinition) throws(SQLiteError) {
        try connection.run("UPDATE systems SET description = ? WHERE name = ?", .text(system.description), .text(system.name))
        try connection.run("DELETE FROM system_permissions WHERE system = ?", .text(system.name))
        for permission in system.permissions.sorted() {
            try connection.run("INSERT INTO system_permissions (system, permission) VALUES (?, ?)", .text(system.name), .text(permission))
        }
    }

    func deleteSystem(_ name: String) throws(SQLiteError) {
        try connection.run("DELETE FROM systems WHERE name = ?", .text(name))
    }

    // MARK: Roles

    func insertRole(_ role: Role) throws(SQLiteError) {
        try connection.run("INSERT INTO roles (name, description, external_id) VALUES (?, ?, ?)",
                           .text(role.name), .text(role.description), .optional(role.externalID))
    }

    func deleteRole(_ name: String) throws(SQLiteError) {
        try connection.run("DELETE FROM role_includes WHERE included = ?", .text(name))
        try connection.run("DELETE FROM roles WHERE name = ?", .text(name))
    }

    func addRoleEntitlement(role: String, _ entitlement: Entitlement) throws(SQLiteError) {
        try connection.run(
            "INSERT OR IGNORE INTO role_entitlements (role, system, permission) VALUES (?, ?, ?)",
            .text(role), .text(entitlement.system), .text(entitlement.permission))
    }

    func removeRoleEntitlement(role: String, _ entitlement: Entitlement) throws(SQLiteError) {
        try connection.run(
            "DELETE FROM role_entitlements WHERE role = ? AND system = ? AND permission = ?",
            .text(role), .text(entitlement.system), .text(entitlement.permission))
    }

    func addRoleInclude(role: String, included: String) throws(SQLiteError) {
        try connection.run("INSERT OR IGNORE INTO role_includes (role, included) VALUES (?, ?)", .text(role), .text(included))
    }

    func removeRoleInclude(role: String, included: String) throws(SQLiteError) {
        try connection.run("DELETE FROM role_includes WHERE role = ? AND included = ?", .text(role), .text(included))
    }

    // MARK: Grants

    /// Inserts the grant, or updates the expiry and reason of the same grant.
    func putGrant(userID: Int64, _ grant: Grant) throws(SQLiteError) {
        try deleteGrant(userID: userID, grant.target)
        let role: SQLValue, system: SQLValue, permission: SQLValue
        switch grant.target {
        case .role(let name): (role, system, permission) = (.text(name), .null, .null)
        case .entitlement(let e): (role, system, permission) = (.null, .text(e.system), .text(e.permission))
        }
        try connection.run("""
            INSERT INTO grants (user_id, role, system, permission, until_ms, reason, granted_by, granted_ms)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """,
            .integer(userID), role, system, permission, .optional(grant.until?.milliseconds),
            .text(grant.reason), .text(grant.grantedBy), .integer(grant.grantedAt.milliseconds))
    }

    func deleteGrant(userID: Int64, _ target: GrantTarget) throws(SQLiteError) {
        switch target {
        case .role(let name):
            try connection.run("DELETE FROM grants WHERE user_id = ? AND role = ?", .integer(userID), .text(name))
        case .entitlement(let e):
            try connection.run(
                "DELETE FROM grants WHERE user_id = ? AND role IS NULL AND system = ? AND permission = ?",
                .integer(userID), .text(e.system), .text(e.permission))
        }
    }

    func deleteAllGrants(userID: Int64) throws(SQLiteError) {
        try connection.run("DELETE FROM grants WHERE user_id = ?", .integer(userID))
    }
}
