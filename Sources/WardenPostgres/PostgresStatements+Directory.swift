import PostgresNIO
import WardenCore

/// Writes of users, systems, roles and grants, for `statements(for:)`: the statements
/// of SQLite's `Transaction+Directory.swift`, in PostgreSQL's dialect.
extension PostgresStatements {
    // MARK: Users

    /// Inserts a new user with an id the database gives it (never one used before);
    /// the query returns that id (one row, one BIGINT).
    public static func insertUser(_ user: User) -> PostgresQuery {
        """
        INSERT INTO users (name, display_name, email, kind, status, created_ms, failed_logins, password_hash, external_id)
        VALUES (\(user.name), \(user.displayName), \(user.email), \(user.kind.rawValue), \(user.status.rawValue), \
        \(user.created.milliseconds), 0, \(user.passwordHash), \(user.externalID))
        RETURNING id
        """
    }

    /// Inserts the user with the id it already has. users.id is GENERATED ALWAYS, so
    /// the given id needs OVERRIDING SYSTEM VALUE, and the identity's sequence is then
    /// moved past it, as SQLite's AUTOINCREMENT does: otherwise a later `insertUser`
    /// would be given the same id. (Writes are one at a time, under audit_head's row
    /// lock, so reading the sequence and setting it cannot interleave with another's.)
    static func insertUser(_ user: User, id: Int64) -> [PostgresQuery] {
        [
            """
            INSERT INTO users (id, name, display_name, email, kind, status, created_ms, failed_logins, password_hash, external_id)
            OVERRIDING SYSTEM VALUE
            VALUES (\(id), \(user.name), \(user.displayName), \(user.email), \(user.kind.rawValue), \(user.status.rawValue), \
            \(user.created.milliseconds), 0, \(user.passwordHash), \(user.externalID))
            """,
            """
            SELECT setval(pg_get_serial_sequence('users', 'id'),
                          greatest(\(id), coalesce(pg_sequence_last_value(pg_get_serial_sequence('users', 'id')::regclass), 0)))
            """,
        ]
    }

    static func setPasswordHash(id: Int64, phc: String) -> PostgresQuery {
        "UPDATE users SET password_hash = \(phc) WHERE id = \(id)"
    }

    static func setStatus(id: Int64, _ status: User.Status) -> PostgresQuery {
        "UPDATE users SET status = \(status.rawValue) WHERE id = \(id)"
    }

    // MARK: Systems

    static func insertSystem(_ system: SystemDefinition) -> [PostgresQuery] {
        [
            "INSERT INTO systems (name, description) VALUES (\(system.name), \(system.description))",
            insertPermissions(of: system),
        ]
    }

    static func updateSystem(_ system: SystemDefinition) -> [PostgresQuery] {
        [
            "UPDATE systems SET description = \(system.description) WHERE name = \(system.name)",
            "DELETE FROM system_permissions WHERE system = \(system.name)",
            insertPermissions(of: system),
        ]
    }

    /// All of a system's permissions in one statement (one array bound), not one
    /// round trip each; no rows for none.
    private static func insertPermissions(of system: SystemDefinition) -> PostgresQuery {
        "INSERT INTO system_permissions (system, permission) SELECT \(system.name), unnest(\(system.permissions.sorted())::text[])"
    }

    /// Its permissions go with it (ON DELETE CASCADE); the service has refused the
    /// delete while a role or a grant names the system.
    static func deleteSystem(_ name: String) -> [PostgresQuery] {
        ["DELETE FROM systems WHERE name = \(name)"]
    }

    // MARK: Roles

    /// The row only, as on SQLite: a new role has no entitlements or includes yet
    /// (they come as changes of their own).
    static func insertRole(_ role: Role) -> [PostgresQuery] {
        ["INSERT INTO roles (name, description, external_id) VALUES (\(role.name), \(role.description), \(role.externalID))"]
    }

    /// Roles that include it stop including it; its own entitlements and includes go
    /// with the row (ON DELETE CASCADE).
    static func deleteRole(_ name: String) -> [PostgresQuery] {
        [
            "DELETE FROM role_includes WHERE included = \(name)",
            "DELETE FROM roles WHERE name = \(name)",
        ]
    }

    static func addRoleEntitlement(role: String, _ entitlement: Entitlement) -> PostgresQuery {
        """
        INSERT INTO role_entitlements (role, system, permission) VALUES (\(role), \(entitlement.system), \(entitlement.permission))
        ON CONFLICT DO NOTHING
        """
    }

    static func removeRoleEntitlement(role: String, _ entitlement: Entitlement) -> PostgresQuery {
        """
        DELETE FROM role_entitlements WHERE role = \(role) AND system = \(entitlement.system) AND permission = \(entitlement.permission)
        """
    }

    static func addRoleInclude(role: String, included: String) -> PostgresQuery {
        "INSERT INTO role_includes (role, included) VALUES (\(role), \(included)) ON CONFLICT DO NOTHING"
    }

    static func removeRoleInclude(role: String, included: String) -> PostgresQuery {
        "DELETE FROM role_includes WHERE role = \(role) AND included = \(included)"
    }

    // MARK: Grants

    /// Inserts the grant, or replaces the expiry and reason of the same grant (delete
    /// and insert, as SQLite does: the unique indexes are partial, one per kind of target).
    static func putGrant(userID: Int64, _ grant: Grant) -> [PostgresQuery] {
        let role: String?, system: String?, permission: String?
        switch grant.target {
        case .role(let name): (role, system, permission) = (name, nil, nil)
        case .entitlement(let e): (role, system, permission) = (nil, e.system, e.permission)
        }
        return [
            deleteGrant(userID: userID, grant.target),
            """
            INSERT INTO grants (user_id, role, system, permission, until_ms, reason, granted_by, granted_ms)
            VALUES (\(userID), \(role), \(system), \(permission), \(grant.until?.milliseconds), \(grant.reason), \
            \(grant.grantedBy), \(grant.grantedAt.milliseconds))
            """,
        ]
    }

    static func deleteGrant(userID: Int64, _ target: GrantTarget) -> PostgresQuery {
        switch target {
        case .role(let name):
            "DELETE FROM grants WHERE user_id = \(userID) AND role = \(name)"
        case .entitlement(let e):
            "DELETE FROM grants WHERE user_id = \(userID) AND role IS NULL AND system = \(e.system) AND permission = \(e.permission)"
        }
    }
}
