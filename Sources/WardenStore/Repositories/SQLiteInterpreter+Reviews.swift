import WardenCore

/// Writes of access reviews (`reviews`, `review_items`; schema 0007), for `write(_ change:)`.
extension SQLiteInterpreter {
    func write(review change: Change) throws(SQLiteError) {
        switch change {
        case .reviewStarted(let review):
            let scope = ReviewColumns.scope(review.scope)
            try connection.run("""
                INSERT INTO reviews (id, scope_kind, scope_name, reviewer_id, reviewer, due_ms, default_decision,
                                     created_by, created_ms, closed_ms, kept, revoked)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
                .integer(review.id), .text(scope.kind), .text(scope.name), .integer(review.reviewerID), .text(review.reviewer),
                .integer(review.due.milliseconds), .text(review.defaultVerdict.rawValue), .text(review.createdBy),
                .integer(review.created.milliseconds), .optional(review.closed?.milliseconds),
                .integer(Int64(review.kept)), .integer(Int64(review.revoked)))
            // One prepared statement (the connection caches it) for every item.
            for item in review.items {
                let target = ReviewColumns.target(item.target)
                try connection.run("""
                    INSERT INTO review_items (review_id, item, user_id, username, role, system, permission, until_ms,
                                              decision, decided_by, decided_ms, reason)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                    .integer(review.id), .integer(Int64(item.number)), .integer(item.userID), .text(item.user),
                    .optional(target.role), .optional(target.system), .optional(target.permission),
                    .optional(item.until?.milliseconds), .optional(item.decision?.rawValue), .optional(item.decidedBy),
                    .optional(item.decided?.milliseconds), .text(item.reason))
            }
        case .reviewItemDecided(let id, let number, let verdict, let by, let reason, let time):
            try connection.run(
                "UPDATE review_items SET decision = ?, decided_by = ?, decided_ms = ?, reason = ? WHERE review_id = ? AND item = ?",
                .text(verdict.rawValue), .text(by), .integer(time.milliseconds), .text(reason), .integer(id), .integer(Int64(number)))
        case .reviewClosed(let id, let time, let kept, let revoked):
            try connection.run(
                "UPDATE reviews SET closed_ms = ?, kept = ?, revoked = ? WHERE id = ?",
                .integer(time.milliseconds), .integer(Int64(kept)), .integer(Int64(revoked)), .integer(id))
        default:
            break
        }
    }
}

extension Snapshot {
    /// Every review with its items, in number order.
    static func loadReviews(from db: Connection) throws(SQLiteError) -> [AccessReview] {
        var reviews = try db.query("""
            SELECT id, scope_kind, scope_name, reviewer_id, reviewer, due_ms, default_decision, created_by, created_ms,
                   closed_ms, kept, revoked
            FROM reviews ORDER BY id
            """) { row in
            AccessReview(
                id: row.int(0), scope: ReviewColumns.scope(kind: row.text(1), name: row.text(2)),
                reviewerID: row.int(3), reviewer: row.text(4), due: Timestamp(milliseconds: row.int(5)),
                defaultVerdict: AccessReview.Verdict(rawValue: row.text(6)) ?? .keep, createdBy: row.text(7),
                created: Timestamp(milliseconds: row.int(8)), closed: row.optionalInt(9).map(Timestamp.init(milliseconds:)),
                kept: Int(row.int(10)), revoked: Int(row.int(11)), items: [])
        }
        guard !reviews.isEmpty else { return [] }
        var index: [Int64: Int] = [:]
        for (position, review) in reviews.enumerated() { index[review.id] = position }
        let items = try db.query("""
            SELECT review_id, item, user_id, username, role, system, permission, until_ms, decision, decided_by, decided_ms, reason
            FROM review_items ORDER BY review_id, item
            """) { row in
            (row.int(0), AccessReviewItem(
                number: Int(row.int(1)), userID: row.int(2), user: row.text(3),
                target: ReviewColumns.target(role: row.optionalText(4), system: row.optionalText(5), permission: row.optionalText(6)),
                until: row.optionalInt(7).map(Timestamp.init(milliseconds:)),
                decision: row.optionalText(8).flatMap(AccessReview.Verdict.init(rawValue:)), decidedBy: row.optionalText(9),
                decided: row.optionalInt(10).map(Timestamp.init(milliseconds:)), reason: row.text(11)))
        }
        for (reviewID, item) in items {
            if let position = index[reviewID] { reviews[position].items.append(item) }
        }
        return reviews
    }
}

/// The columns a review's scope and an item's grant are stored in, for both backends
/// (a grant as the `grants` table holds it: a role, or a system and permission).
public enum ReviewColumns {
    public static func scope(_ scope: AccessReview.Scope) -> (kind: String, name: String) {
        switch scope {
        case .role(let name): ("role", name)
        case .system(let name): ("system", name)
        }
    }

    public static func scope(kind: String, name: String) -> AccessReview.Scope {
        kind == "role" ? .role(name) : .system(name)
    }

    public static func target(_ target: GrantTarget) -> (role: String?, system: String?, permission: String?) {
        switch target {
        case .role(let role): (role, nil, nil)
        case .entitlement(let entitlement): (nil, entitlement.system, entitlement.permission)
        }
    }

    public static func target(role: String?, system: String?, permission: String?) -> GrantTarget {
        if let role { return .role(role) }
        return .entitlement(Entitlement(system: system ?? "", permission: permission ?? ""))
    }
}
