import Logging
import PostgresNIO
import WardenCore
import WardenStore

/// The two large tables of a start, users and grants, read as columns: each query
/// answers one row of arrays for a slice of the table (`PostgresBinaryArray`), not a
/// row per user or grant.
extension PostgresSnapshot {
    /// Users a query: enough to keep the per-query cost small, few enough that one
    /// answer stays a few megabytes.
    static let usersPerQuery: Int64 = 50_000
    /// Table pages a grants query: about 185 grants a page, ~750,000 a query.
    static let grantPagesPerQuery: Int64 = 4_096

    /// Every user, in id order (as the loader wants them), a range of ids a query.
    static func readUsers(_ connection: PostgresConnection, _ logger: Logger, into loader: inout Directory.Loader) async throws {
        var bounds: (Int64?, Int64?) = (nil, nil)
        for try await row in try await connection.query("SELECT min(id), max(id) FROM users", logger: logger).decode((Int64?, Int64?).self) {
            bounds = row
        }
        guard let lowest = bounds.0, let highest = bounds.1 else { return }
        var start = lowest
        while start <= highest {
            let end = start + usersPerQuery
            for try await row in try await connection.query(
                """
                SELECT array_agg(id), array_agg(name), array_agg(display_name), array_agg(email), array_agg(kind), array_agg(status),
                       array_agg(created_ms), array_agg(last_login_ms), array_agg(failed_logins), array_agg(password_hash),
                       array_agg(external_id), array_agg(modified_ms)
                FROM (SELECT * FROM users WHERE id >= \(start) AND id < \(end) ORDER BY id) AS u
                """,
                logger: logger
            ) {
                var users = try decodeUsers(row)
                // The subquery's order is what array_agg sees in practice, not a promise.
                if zip(users, users.dropFirst()).contains(where: { $0.id >= $1.id }) { users.sort { $0.id < $1.id } }
                for user in users { loader.add(user) }
            }
            start = end
        }
    }

    private static func decodeUsers(_ row: PostgresRow) throws -> [User] {
        var cells = PostgresCells(row)
        var ids = try PostgresBinaryArray(cells.next()), names = try PostgresBinaryArray(cells.next())
        var displayNames = try PostgresBinaryArray(cells.next()), emails = try PostgresBinaryArray(cells.next())
        var kinds = try PostgresBinaryArray(cells.next()), statuses = try PostgresBinaryArray(cells.next())
        var created = try PostgresBinaryArray(cells.next()), lastLogins = try PostgresBinaryArray(cells.next())
        var failures = try PostgresBinaryArray(cells.next()), hashes = try PostgresBinaryArray(cells.next())
        var externalIDs = try PostgresBinaryArray(cells.next()), modified = try PostgresBinaryArray(cells.next())
        var users: [User] = []
        users.reserveCapacity(ids.count)
        for _ in 0..<ids.count {
            users.append(User(
                id: try ids.nextInt64("users.id"), name: try names.nextString("users.name"),
                displayName: try displayNames.nextString("users.display_name"), email: try emails.nextString("users.email"),
                kind: User.Kind(rawValue: try kinds.nextString("users.kind")) ?? .person,
                status: User.Status(rawValue: try statuses.nextString("users.status")) ?? .disabled,
                created: Timestamp(milliseconds: try created.nextInt64("users.created_ms")),
                lastLogin: try lastLogins.nextInt64().map(Timestamp.init(milliseconds:)),
                failedLogins: Int(try failures.nextInt32() ?? 0), passwordHash: try hashes.nextString(),
                externalID: try externalIDs.nextString(), modified: try modified.nextInt64().map(Timestamp.init(milliseconds:))))
        }
        return users
    }

    /// Every grant's user, target and expiry (reason, granter and time stay in the
    /// database), a slice of the table's pages a query, in the table's order: no join,
    /// which would let the planner hand the rows back in an order of its own.
    static func readGrants(_ connection: PostgresConnection, _ logger: Logger, into rows: inout Directory.GrantRows) async throws {
        var pages: Int64 = 0
        for try await count in try await connection.query(
            "SELECT pg_relation_size('grants') / current_setting('block_size')::bigint", logger: logger
        ).decode(Int64.self) {
            pages = count
        }
        var start: Int64 = 0
        repeat {
            // Pages added since the size was read hold nothing this snapshot sees; the
            // last slice is open-ended all the same (a page number is 32 bits).
            let end = start + grantPagesPerQuery >= pages ? Int64(UInt32.max) : start + grantPagesPerQuery
            for try await row in try await connection.query(
                """
                SELECT array_agg(user_id), array_agg(role), array_agg(system), array_agg(permission), array_agg(until_ms)
                FROM grants WHERE ctid >= format('(%s,0)', \(start)::bigint)::tid AND ctid < format('(%s,0)', \(end)::bigint)::tid
                """,
                logger: logger
            ) {
                try decodeGrants(row, into: &rows)
            }
            start = end
        } while start < pages
        // The table's order is the users' only while their grants were added in order.
        rows.sortByUser()
    }

    /// A name of up to 15 bytes is held in the `String` itself: numbering a grant's
    /// target costs a hash, no allocation.
    private static func decodeGrants(_ row: PostgresRow, into rows: inout Directory.GrantRows) throws {
        var cells = PostgresCells(row)
        var users = try PostgresBinaryArray(cells.next()), roles = try PostgresBinaryArray(cells.next())
        var systems = try PostgresBinaryArray(cells.next()), permissions = try PostgresBinaryArray(cells.next())
        var untils = try PostgresBinaryArray(cells.next())
        for _ in 0..<users.count {
            let userID = try users.nextInt64("grants.user_id")
            let role = try roles.nextString(), system = try systems.nextString(), permission = try permissions.nextString()
            let until = try untils.nextInt64().map(Timestamp.init(milliseconds:))
            if let role {
                rows.append(userID: userID, target: .role(role), until: until)
            } else if let system, let permission {
                rows.append(userID: userID, target: .entitlement(Entitlement(system: system, permission: permission)), until: until)
            } else {
                // The table's CHECK makes every row one or the other.
                throw StoreError.corrupt("a grant of user \(userID) names neither a role nor an entitlement")
            }
        }
    }
}
