import WardenCore

/// Writes of role request settings, access requests and separation-of-duties rules
/// (SPEC §8, §10), for `write(_ change:)`.
extension SQLiteInterpreter {
    func write(governance change: Change) throws(SQLiteError) {
        switch change {
        case .roleSettingsChanged(let role, let description, let settings):
            try connection.run(
                "UPDATE roles SET description = ?, requestable = ?, approvers = ?, approvals = ?, max_request_s = ? WHERE name = ?",
                .text(description), .integer(settings.requestable ? 1 : 0), .optional(settings.approvers),
                .integer(Int64(settings.approvals)), .integer(settings.maximum), .text(role))
        case .requestMade(let request), .requestChanged(let request):
            try connection.run("""
                INSERT OR REPLACE INTO access_requests
                    (id, user_id, role, duration_s, reason, status, created_ms, approved_by, denied_by, decided_ms, until_ms)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
                .integer(request.id), .integer(request.userID), .text(request.role), .integer(request.duration),
                .text(request.reason), .text(request.status.rawValue), .integer(request.created.milliseconds),
                .text(request.approvedBy.joined(separator: ",")), .optional(request.deniedBy),
                .optional(request.decided?.milliseconds), .optional(request.until?.milliseconds))
        case .separationRuleAdded(let rule):
            try connection.run(
                "INSERT INTO sod_rules (name, left_side, right_side, description) VALUES (?, ?, ?, ?)",
                .text(rule.name), .text(rule.left.description), .text(rule.right.description), .text(rule.description))
        case .separationRuleDeleted(let name):
            try connection.run("DELETE FROM sod_rules WHERE name = ?", .text(name))
        default:
            break
        }
    }
}
