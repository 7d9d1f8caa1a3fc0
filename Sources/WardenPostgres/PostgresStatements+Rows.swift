import PostgresNIO
import WardenCore

/// Row writes of one kind as one statement (`RowWrite`, `HeldStatements`): each column
/// bound as an array and joined back into rows by `unnest`, so that a batch's GRANTs
/// cost one round trip, not one each. They write what `statements(for:)` writes one row
/// at a time. Arrays cannot hold NULL here (postgres-nio binds no optional elements):
/// an absent value is a flag column or an empty string that no real value can be.
extension PostgresStatements {
    /// `rows`: one kind, and at most one row write of a user (as `HeldStatements` makes
    /// them), so that no row is written twice by the statement.
    static func rows(_ rows: [RowWrite]) -> PostgresQuery {
        switch rows[0].shape {
        case .insertGrant: insertGrants(rows)
        case .deleteRoleGrant: deleteRoleGrants(rows)
        case .deleteEntitlementGrant: deleteEntitlementGrants(rows)
        case .setStatus: setStatuses(rows)
        case .setPasswordHash: setPasswordHashes(rows)
        case .recordLogin: recordLogins(rows)
        case .countLoginFailure: countLoginFailures(rows)
        case .markTokens: markTokens(rows)
        case .insertToken: insertTokens(rows)
        case .raiseKeyExpiry: raiseKeyExpiries(rows)
        }
    }

    private static func insertGrants(_ rows: [RowWrite]) -> PostgresQuery {
        var users: [Int64] = [], isRole: [Bool] = [], first: [String] = [], second: [String] = []
        var hasUntil: [Bool] = [], until: [Int64] = [], reasons: [String] = [], granters: [String] = [], times: [Int64] = []
        for case .insertGrant(let userID, let grant) in rows {
            users.append(userID)
            switch grant.target {
            case .role(let name): isRole.append(true); first.append(name); second.append("")
            case .entitlement(let e): isRole.append(false); first.append(e.system); second.append(e.permission)
            }
            hasUntil.append(grant.until != nil)
            until.append(grant.until?.milliseconds ?? 0)
            reasons.append(grant.reason)
            granters.append(grant.grantedBy)
            times.append(grant.grantedAt.milliseconds)
        }
        return """
            INSERT INTO grants (user_id, role, system, permission, until_ms, reason, granted_by, granted_ms)
            SELECT r.user_id, CASE WHEN r.is_role THEN r.first END, CASE WHEN NOT r.is_role THEN r.first END,
                   CASE WHEN NOT r.is_role THEN r.second END, CASE WHEN r.has_until THEN r.until_ms END,
                   r.reason, r.granted_by, r.granted_ms
            FROM unnest(\(users)::bigint[], \(isRole)::boolean[], \(first)::text[], \(second)::text[], \(hasUntil)::boolean[],
                        \(until)::bigint[], \(reasons)::text[], \(granters)::text[], \(times)::bigint[])
                 AS r(user_id, is_role, first, second, has_until, until_ms, reason, granted_by, granted_ms)
            """
    }

    private static func deleteRoleGrants(_ rows: [RowWrite]) -> PostgresQuery {
        var users: [Int64] = [], roles: [String] = []
        for case .deleteRoleGrant(let userID, let role) in rows {
            users.append(userID)
            roles.append(role)
        }
        return """
            DELETE FROM grants g USING unnest(\(users)::bigint[], \(roles)::text[]) AS r(user_id, role)
            WHERE g.user_id = r.user_id AND g.role = r.role
            """
    }

    private static func deleteEntitlementGrants(_ rows: [RowWrite]) -> PostgresQuery {
        var users: [Int64] = [], systems: [String] = [], permissions: [String] = []
        for case .deleteEntitlementGrant(let userID, let entitlement) in rows {
            users.append(userID)
            systems.append(entitlement.system)
            permissions.append(entitlement.permission)
        }
        return """
            DELETE FROM grants g USING unnest(\(users)::bigint[], \(systems)::text[], \(permissions)::text[]) AS r(user_id, system, permission)
            WHERE g.user_id = r.user_id AND g.role IS NULL AND g.system = r.system AND g.permission = r.permission
            """
    }

    private static func setStatuses(_ rows: [RowWrite]) -> PostgresQuery {
        var ids: [Int64] = [], statuses: [String] = []
        for case .setStatus(let id, let status) in rows {
            ids.append(id)
            statuses.append(status.rawValue)
        }
        return "UPDATE users u SET status = r.status FROM unnest(\(ids)::bigint[], \(statuses)::text[]) AS r(id, status) WHERE u.id = r.id"
    }

    private static func setPasswordHashes(_ rows: [RowWrite]) -> PostgresQuery {
        var ids: [Int64] = [], hashes: [String] = []
        for case .setPasswordHash(let id, let phc) in rows {
            ids.append(id)
            hashes.append(phc)
        }
        return "UPDATE users u SET password_hash = r.phc FROM unnest(\(ids)::bigint[], \(hashes)::text[]) AS r(id, phc) WHERE u.id = r.id"
    }

    private static func recordLogins(_ rows: [RowWrite]) -> PostgresQuery {
        var ids: [Int64] = [], times: [Int64] = []
        for case .recordLogin(let id, let time) in rows {
            ids.append(id)
            times.append(time.milliseconds)
        }
        return """
            UPDATE users u SET last_login_ms = r.at_ms, failed_logins = 0
            FROM unnest(\(ids)::bigint[], \(times)::bigint[]) AS r(id, at_ms) WHERE u.id = r.id
            """
    }

    private static func countLoginFailures(_ rows: [RowWrite]) -> PostgresQuery {
        var ids: [Int64] = []
        for case .countLoginFailure(let id) in rows { ids.append(id) }
        return "UPDATE users u SET failed_logins = u.failed_logins + 1 FROM unnest(\(ids)::bigint[]) AS r(id) WHERE u.id = r.id"
    }

    /// `markTokens(userID:as:)` for several users: "live" by the transaction's clock.
    private static func markTokens(_ rows: [RowWrite]) -> PostgresQuery {
        var users: [Int64] = [], marks: [String] = []
        for case .markTokens(let userID, let revocation) in rows {
            users.append(userID)
            marks.append(revocation.rawValue)
        }
        return """
            UPDATE issued_tokens t SET revoked = r.revoked FROM unnest(\(users)::bigint[], \(marks)::text[]) AS r(user_id, revoked)
            WHERE t.user_id = r.user_id AND t.exp_ms > floor(extract(epoch FROM transaction_timestamp()) * 1000)::bigint
              AND (t.revoked IS NULL OR t.revoked = 'disabled')
            """
    }

    /// An empty `revoked` is none (the column's CHECK allows only the two marks).
    private static func insertTokens(_ rows: [RowWrite]) -> PostgresQuery {
        var jtis: [String] = [], users: [Int64] = [], kids: [String] = [], audiences: [String] = []
        var issued: [Int64] = [], expires: [Int64] = [], revoked: [String] = []
        for case .insertToken(let token) in rows {
            jtis.append(token.jti)
            users.append(token.userID)
            kids.append(token.kid)
            audiences.append(token.audience)
            issued.append(token.issued.milliseconds)
            expires.append(token.expires.milliseconds)
            revoked.append(token.revocation?.rawValue ?? "")
        }
        return """
            INSERT INTO issued_tokens (jti, user_id, kid, aud, issued_ms, exp_ms, revoked)
            SELECT r.jti, r.user_id, r.kid, r.aud, r.issued_ms, r.exp_ms, NULLIF(r.revoked, '')
            FROM unnest(\(jtis)::text[], \(users)::bigint[], \(kids)::text[], \(audiences)::text[], \(issued)::bigint[],
                        \(expires)::bigint[], \(revoked)::text[]) AS r(jti, user_id, kid, aud, issued_ms, exp_ms, revoked)
            """
    }

    /// Raises are not keyed by user, so one kid may come several times: once, to the latest.
    private static func raiseKeyExpiries(_ rows: [RowWrite]) -> PostgresQuery {
        var kids: [String] = [], times: [Int64] = []
        for case .raiseKeyExpiry(let kid, let until) in rows {
            kids.append(kid)
            times.append(until.milliseconds)
        }
        return """
            UPDATE signing_keys s SET last_exp_ms = greatest(s.last_exp_ms, r.exp_ms)
            FROM (SELECT kid, max(exp_ms) AS exp_ms FROM unnest(\(kids)::text[], \(times)::bigint[]) AS u(kid, exp_ms) GROUP BY kid) AS r
            WHERE s.kid = r.kid
            """
    }
}
