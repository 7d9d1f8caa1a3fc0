/// A user's request for a requestable role (SPEC §8), from `REQUEST` until it is
/// approved, denied, cancelled, or expires 24 hours after it was made.
public struct AccessRequest: Sendable, Equatable, Codable {
    public enum Status: String, Sendable, Codable, CaseIterable {
        case pending, approved, denied, cancelled, expired
    }

    /// How long a request may stay pending.
    public static let pendingLifetime: Int64 = 24 * 3600

    public var id: Int64
    public var userID: Int64
    public var role: String
    /// How long the grant lasts once approved, in seconds.
    public var duration: Int64
    public var reason: String
    public var status: Status
    public var created: Timestamp
    /// The distinct approvers so far, in order.
    public var approvedBy: [String]
    public var deniedBy: String?
    /// When it left `pending`.
    public var decided: Timestamp?
    /// The approved grant's end.
    public var until: Timestamp?

    public init(id: Int64, userID: Int64, role: String, duration: Int64, reason: String, status: Status = .pending,
                created: Timestamp, approvedBy: [String] = [], deniedBy: String? = nil, decided: Timestamp? = nil,
                until: Timestamp? = nil) {
        self.id = id
        self.userID = userID
        self.role = role
        self.duration = duration
        self.reason = reason
        self.status = status
        self.created = created
        self.approvedBy = approvedBy
        self.deniedBy = deniedBy
        self.decided = decided
        self.until = until
    }

    /// The status as of `now`: a pending request past its lifetime reads `expired`
    /// even before the background pass records it.
    public func status(at now: Timestamp) -> Status {
        status == .pending && now >= expires ? .expired : status
    }

    public var expires: Timestamp { created.adding(seconds: AccessRequest.pendingLifetime) }

    /// Everyone who decided so far (the approvers, then the one who denied).
    public var decidedBy: [String] { approvedBy + (deniedBy.map { [$0] } ?? []) }
}
