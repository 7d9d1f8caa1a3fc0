/// Every access review, as memory keeps them (`ServiceState.reviews`): changed only by
/// the reducer, from the review changes the writer committed (this node's or, on
/// PostgreSQL, another's), so that every node answers `REVIEW …` alike.
public struct AccessReviews: Sendable, Equatable {
    public private(set) var byID: [Int64: AccessReview] = [:]

    public init(_ reviews: [AccessReview] = []) {
        for review in reviews { byID[review.id] = review }
    }

    public subscript(id: Int64) -> AccessReview? { byID[id] }

    /// The number the next review gets. Reviews start in the writer, against the
    /// committed state (on PostgreSQL under the cluster's write lock), and alone in
    /// their batch, so two nodes never give the same number.
    public var nextID: Int64 { (byID.keys.max() ?? 0) + 1 }

    /// Reviews in number order, optionally only those open (`true`) or closed (`false`).
    public func sorted(open: Bool? = nil) -> [AccessReview] {
        byID.values.filter { open == nil || $0.isOpen == open }.sorted { $0.id < $1.id }
    }

    /// The open reviews whose due date has come, in number order.
    public func due(at now: Timestamp) -> [AccessReview] {
        byID.values.filter { $0.isDue(at: now) }.sorted { $0.id < $1.id }
    }

    /// Applies a committed review change (others change nothing).
    public mutating func apply(_ change: Change) {
        switch change {
        case .reviewStarted(let review):
            byID[review.id] = review
        case .reviewItemDecided(let id, let number, let verdict, let by, let reason, let time):
            guard let index = byID[id]?.items.firstIndex(where: { $0.number == number }) else { return }
            byID[id]?.items[index].decision = verdict
            byID[id]?.items[index].decidedBy = by
            byID[id]?.items[index].reason = reason
            byID[id]?.items[index].decided = time
        case .reviewClosed(let id, let time, let kept, let revoked):
            byID[id]?.closed = time
            byID[id]?.kept = kept
            byID[id]?.revoked = revoked
        default:
            break
        }
    }
}

/// What closing a review does, decided against the directory as committed: the grants
/// to revoke (decided `revoke`, or undecided under `default=revoke`, and still held by
/// the same user) and how many items are kept.
public struct ReviewClosePlan: Sendable, Equatable {
    public struct Revocation: Sendable, Equatable {
        public var item: Int
        public var userID: Int64
        /// The user's name now (the snapshot's, unless renamed by a delete and re-add,
        /// which the id rules out).
        public var user: String
        public var target: GrantTarget
    }

    public var revocations: [Revocation] = []
    /// Items decided `keep`, or undecided under `default=keep`.
    public var kept = 0
    /// Items to revoke whose grant is gone already (revoked, or its user deleted): they
    /// count neither as kept nor as revoked.
    public var gone = 0
}

extension AccessReview {
    /// The close's plan against `directory`. A grant to revoke that expired but is still
    /// held is revoked too: the decision was that it should not exist.
    public func closePlan(in directory: Directory) -> ReviewClosePlan {
        var plan = ReviewClosePlan()
        for item in items {
            switch item.decision ?? defaultVerdict {
            case .keep:
                plan.kept += 1
            case .revoke:
                guard let user = directory.user(id: item.userID), directory.grants[user.name]?[item.target] != nil else {
                    plan.gone += 1
                    continue
                }
                plan.revocations.append(.init(item: item.number, userID: item.userID, user: user.name, target: item.target))
            }
        }
        return plan
    }
}
