import PostgresNIO
import WardenCore

/// Writes of role request settings, access requests and separation-of-duties rules
/// (SPEC §8, §10), for `statements(for:)`: the statements of SQLite's
/// `SQLiteInterpreter+Governance.swift`, with the approvers as an array.
extension PostgresStatements {
    static func statements(governance change: Change) -> [PostgresQuery] {
        switch change {
        case .roleSettingsChanged(let role, let description, let settings):
            return ["""
                UPDATE roles SET description = \(description), requestable = \(settings.requestable), approvers = \(settings.approvers),
                    approvals = \(settings.approvals), max_request_s = \(settings.maximum)
                WHERE name = \(role)
                """]
        case .requestMade(let request), .requestChanged(let request):
            return ["""
                INSERT INTO access_requests
                    (id, user_id, role, duration_s, reason, status, created_ms, approved_by, denied_by, decided_ms, until_ms)
                VALUES (\(request.id), \(request.userID), \(request.role), \(request.duration), \(request.reason),
                        \(request.status.rawValue), \(request.created.milliseconds), \(request.approvedBy)::text[], \(request.deniedBy),
                        \(request.decided?.milliseconds), \(request.until?.milliseconds))
                ON CONFLICT (id) DO UPDATE SET status = excluded.status, approved_by = excluded.approved_by,
                    denied_by = excluded.denied_by, decided_ms = excluded.decided_ms, until_ms = excluded.until_ms
                """]
        case .separationRuleAdded(let rule):
            return ["""
                INSERT INTO sod_rules (name, left_side, right_side, description)
                VALUES (\(rule.name), \(rule.left.description), \(rule.right.description), \(rule.description))
                """]
        case .separationRuleDeleted(let name):
            return ["DELETE FROM sod_rules WHERE name = \(name)"]
        default:
            return []
        }
    }
}
