import Logging
import PostgresNIO
import WardenCore
import WardenStore

/// Writes of access reviews (`reviews`, `review_items`; schema/postgres/0004), for
/// `statements(for:)`: the rows of SQLite's `SQLiteInterpreter+Reviews.swift`.
extension PostgresStatements {
    static func statements(review change: Change) -> [PostgresQuery] {
        switch change {
        case .reviewStarted(let review):
            let scope = ReviewColumns.scope(review.scope)
            var statements: [PostgresQuery] = ["""
                INSERT INTO reviews (id, scope_kind, scope_name, reviewer_id, reviewer, due_ms, default_decision,
                                     created_by, created_ms, closed_ms, kept, revoked)
                VALUES (\(review.id), \(scope.kind), \(scope.name), \(review.reviewerID), \(review.reviewer),
                        \(review.due.milliseconds), \(review.defaultVerdict.rawValue), \(review.createdBy),
                        \(review.created.milliseconds), \(review.closed?.milliseconds), \(Int64(review.kept)), \(Int64(review.revoked)))
                """]
            if !review.items.isEmpty { statements.append(insertItems(of: review)) }
            return statements
        case .reviewItemDecided(let id, let number, let verdict, let by, let reason, let time):
            return ["""
                UPDATE review_items SET decision = \(verdict.rawValue), decided_by = \(by), decided_ms = \(time.milliseconds),
                    reason = \(reason)
                WHERE review_id = \(id) AND item = \(Int64(number))
                """]
        case .reviewClosed(let id, let time, let kept, let revoked):
            return ["UPDATE reviews SET closed_ms = \(time.milliseconds), kept = \(Int64(kept)), revoked = \(Int64(revoked)) WHERE id = \(id)"]
        default:
            return []
        }
    }

    /// Every item in one statement (a review of a large system has thousands): each
    /// column an array parameter. postgres-nio binds no arrays of optionals, so a
    /// missing value travels as '' or -1 (never a name, a time or a decision) and
    /// NULLIF makes it NULL again.
    private static func insertItems(of review: AccessReview) -> PostgresQuery {
        let items = review.items
        let targets = items.map { ReviewColumns.target($0.target) }
        let numbers = items.map { Int64($0.number) }, users = items.map(\.userID), names = items.map(\.user)
        let roles = targets.map { $0.role ?? "" }, systems = targets.map { $0.system ?? "" }
        let permissions = targets.map { $0.permission ?? "" }, until = items.map { $0.until?.milliseconds ?? -1 }
        let decisions = items.map { $0.decision?.rawValue ?? "" }, decidedBy = items.map { $0.decidedBy ?? "" }
        let decided = items.map { $0.decided?.milliseconds ?? -1 }, reasons = items.map(\.reason)
        return """
            INSERT INTO review_items (review_id, item, user_id, username, role, system, permission, until_ms,
                                      decision, decided_by, decided_ms, reason)
            SELECT \(review.id), n, u, name, NULLIF(r, ''), NULLIF(s, ''), NULLIF(p, ''), NULLIF(t, -1),
                   NULLIF(d, ''), NULLIF(b, ''), NULLIF(dt, -1), reason
            FROM unnest(\(numbers)::bigint[], \(users)::bigint[], \(names)::text[], \(roles)::text[], \(systems)::text[],
                        \(permissions)::text[], \(until)::bigint[], \(decisions)::text[], \(decidedBy)::text[],
                        \(decided)::bigint[], \(reasons)::text[]) AS i(n, u, name, r, s, p, t, d, b, dt, reason)
            """
    }
}

extension PostgresSnapshot {
    /// Every review with its items, in number order (inside the snapshot's transaction).
    static func readReviews(_ connection: PostgresConnection, _ logger: Logger) async throws -> [AccessReview] {
        var reviews: [AccessReview] = []
        var index: [Int64: Int] = [:]
        for try await (id, kind, name, reviewerID, reviewer, due, verdict, createdBy, created, closed, kept, revoked)
            in try await connection.query("""
                SELECT id, scope_kind, scope_name, reviewer_id, reviewer, due_ms, default_decision, created_by, created_ms,
                       closed_ms, kept, revoked
                FROM reviews ORDER BY id
                """, logger: logger
        ).decode((Int64, String, String, Int64, String, Int64, String, String, Int64, Int64?, Int32, Int32).self) {
            index[id] = reviews.count
            reviews.append(AccessReview(
                id: id, scope: ReviewColumns.scope(kind: kind, name: name), reviewerID: reviewerID, reviewer: reviewer,
                due: Timestamp(milliseconds: due), defaultVerdict: AccessReview.Verdict(rawValue: verdict) ?? .keep,
                createdBy: createdBy, created: Timestamp(milliseconds: created), closed: closed.map(Timestamp.init(milliseconds:)),
                kept: Int(kept), revoked: Int(revoked), items: []))
        }
        guard !reviews.isEmpty else { return [] }
        for try await (reviewID, number, userID, user, role, system, permission, until, decision, decidedBy, decided, reason)
            in try await connection.query("""
                SELECT review_id, item, user_id, username, role, system, permission, until_ms, decision, decided_by,
                       decided_ms, reason
                FROM review_items ORDER BY review_id, item
                """, logger: logger
        ).decode((Int64, Int32, Int64, String, String?, String?, String?, Int64?, String?, String?, Int64?, String).self) {
            guard let position = index[reviewID] else { continue }
            reviews[position].items.append(AccessReviewItem(
                number: Int(number), userID: userID, user: user,
                target: ReviewColumns.target(role: role, system: system, permission: permission),
                until: until.map(Timestamp.init(milliseconds:)), decision: decision.flatMap(AccessReview.Verdict.init(rawValue:)),
                decidedBy: decidedBy, decided: decided.map(Timestamp.init(milliseconds:)), reason: reason))
        }
        return reviews
    }
}
