/// A signed-in session of the web pages (SPEC §11) as every node of a cluster knows
/// it: the SHA-256 of the cookie's random id (never the id itself), whose session it
/// is, and when it began. It lives in memory only, carried to the other nodes by the
/// sign-in's audit entry (`Change.webSessionStarted`): see docs/architecture.md, "Web pages".
public struct WebSession: Sendable, Equatable, Codable {
    /// Lower-case hex SHA-256 of the cookie's id.
    public var digest: String
    public var userID: Int64
    /// The sign-in's commit time: the session ends `lifetime` after it, whatever happens.
    public var started: Timestamp

    public init(digest: String, userID: Int64, started: Timestamp) {
        self.digest = digest
        self.userID = userID
        self.started = started
    }
}

extension Change {
    /// The user whose web sessions this change ends (SPEC §11: a password change or
    /// reset, a disable, a delete), if any.
    public var endsWebSessions: Int64? {
        switch self {
        case .passwordSet(let id, _), .passwordReset(let id, _, _), .disabled(let id), .userDeleted(let id): id
        default: nil
        }
    }
}
