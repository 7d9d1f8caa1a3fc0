/// A person or a service account.
public struct User: Sendable, Equatable, Codable {
    public enum Kind: String, Sendable, CaseIterable, Codable { case person, service }
    public enum Status: String, Sendable, CaseIterable, Codable { case active, disabled }

    /// The database row id. A deleted user's name may be reused, but never its id:
    /// sessions and tokens remember the id, so they die with the user they were for.
    public var id: Int64
    public var name: String
    public var displayName: String
    public var email: String
    public var kind: Kind
    public var status: Status
    public var created: Timestamp
    public var lastLogin: Timestamp?
    public var failedLogins: Int
    /// The PHC string of the password, or `nil` before one is set.
    public var passwordHash: String?
    /// The provisioning client's identifier (SCIM `externalId`, SPEC §12), kept as given.
    public var externalID: String?
    /// When the user's profile, password, status or external id last changed (SCIM
    /// `meta.lastModified`); nil: not since it was created.
    public var modified: Timestamp?
    /// How many times the user was disabled since the server started (memory only).
    /// A connection remembers the value it authenticated under, so that a disable
    /// ends its session for good, even if the user is enabled again before it speaks.
    public var sessionGeneration = 0

    /// Every stored field, and not `sessionGeneration`: it counts this node's own
    /// disables since its start, so another node's count means nothing here. A user
    /// decoded from the change feed starts at 0, as one read from the database does;
    /// each node counts on from there as it applies `.disabled` itself.
    private enum CodingKeys: String, CodingKey {
        case id, name, displayName, email, kind, status, created, lastLogin, failedLogins, passwordHash, externalID, modified
    }

    public init(
        id: Int64, name: String, displayName: String = "", email: String = "", kind: Kind = .person,
        status: Status = .active, created: Timestamp, lastLogin: Timestamp? = nil, failedLogins: Int = 0,
        passwordHash: String? = nil, externalID: String? = nil, modified: Timestamp? = nil
    ) {
        self.id = id
        self.name = name
        self.displayName = displayName
        self.email = email
        self.kind = kind
        self.status = status
        self.created = created
        self.lastLogin = lastLogin
        self.failedLogins = failedLogins
        self.passwordHash = passwordHash
        self.externalID = externalID
        self.modified = modified
    }
}
