/// A periodic access review (SPEC §9): a snapshot of the grants in a scope, taken when
/// it starts, each item decided `keep` or `revoke` by a named reviewer until it closes.
///
/// The review holds everything an auditor asks for later (who decided what, when and
/// why), so it is never deleted: not when the reviewer, a reviewed user or the role
/// goes. Users are named by id as well as by name, so that a name reused after a
/// deletion is never mistaken for the user who was reviewed.
public struct AccessReview: Sendable, Equatable, Codable {
    /// What a review covers: one role's grants, or everything that gives access to a system.
    public enum Scope: Sendable, Hashable, Codable, CustomStringConvertible {
        case role(String)
        case system(String)

        /// `role:NAME` or `system:NAME`, as `REVIEW LIST` shows it.
        public var description: String {
            switch self {
            case .role(let name): "role:\(name)"
            case .system(let name): "system:\(name)"
            }
        }
    }

    /// What becomes of a grant: a decision, or the review's default for undecided items.
    public enum Verdict: String, Sendable, Codable, CaseIterable {
        case keep
        case revoke
    }

    /// `N` of `REVIEW SHOW N`: numbered from 1, in the order reviews were started.
    public var id: Int64
    public var scope: Scope
    public var reviewerID: Int64
    public var reviewer: String
    public var due: Timestamp
    /// What an item nobody decided becomes at the close (`default=`).
    public var defaultVerdict: Verdict
    public var createdBy: String
    public var created: Timestamp
    /// When it closed; nil while it is open.
    public var closed: Timestamp?
    /// Set by the close: items kept, grants revoked.
    public var kept: Int
    public var revoked: Int
    public var items: [AccessReviewItem]

    public init(id: Int64, scope: Scope, reviewerID: Int64, reviewer: String, due: Timestamp, defaultVerdict: Verdict,
                createdBy: String, created: Timestamp, closed: Timestamp? = nil, kept: Int = 0, revoked: Int = 0,
                items: [AccessReviewItem]) {
        self.id = id
        self.scope = scope
        self.reviewerID = reviewerID
        self.reviewer = reviewer
        self.due = due
        self.defaultVerdict = defaultVerdict
        self.createdBy = createdBy
        self.created = created
        self.closed = closed
        self.kept = kept
        self.revoked = revoked
        self.items = items
    }

    public var isOpen: Bool { closed == nil }

    /// `open` or `closed`.
    public var status: String { isOpen ? "open" : "closed" }

    /// How many items have a decision (`decided=K/M`).
    public var decidedCount: Int { items.reduce(0) { $0 + ($1.decision == nil ? 0 : 1) } }

    /// Item `number` (`K`, from 1).
    public func item(_ number: Int) -> AccessReviewItem? {
        guard number >= 1, number <= items.count, items[number - 1].number == number else {
            return items.first { $0.number == number }
        }
        return items[number - 1]
    }

    /// Whether it is open and its due date has come.
    public func isDue(at now: Timestamp) -> Bool { isOpen && due <= now }
}

/// One grant under review: whose, what, until when (as it was at the start), and the
/// decision so far.
public struct AccessReviewItem: Sendable, Equatable, Codable {
    /// `K` of `REVIEW DECIDE N K`, from 1 in the order of the snapshot.
    public var number: Int
    public var userID: Int64
    public var user: String
    public var target: GrantTarget
    public var until: Timestamp?
    public var decision: AccessReview.Verdict?
    public var decidedBy: String?
    public var decided: Timestamp?
    public var reason: String

    public init(number: Int, userID: Int64, user: String, target: GrantTarget, until: Timestamp?,
                decision: AccessReview.Verdict? = nil, decidedBy: String? = nil, decided: Timestamp? = nil, reason: String = "") {
        self.number = number
        self.userID = userID
        self.user = user
        self.target = target
        self.until = until
        self.decision = decision
        self.decidedBy = decidedBy
        self.decided = decided
        self.reason = reason
    }

    /// `role:X` or `system:S:P`, as `REVIEW ITEMS` shows the grant.
    public var grantDescription: String {
        switch target {
        case .role(let role): "role:\(role)"
        case .entitlement(let entitlement): "system:\(entitlement.system):\(entitlement.permission)"
        }
    }
}
