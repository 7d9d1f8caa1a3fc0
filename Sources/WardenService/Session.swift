/// What the service knows of one connection: where it comes from and who
/// authenticated on it. The server owns it and applies `SessionEffect`s to it.
public struct Session: Sendable {
    /// The authenticated user's id. The service re-checks it on every command, so a
    /// user disabled or deleted since falls back to the unauthenticated state at once.
    public var userID: Int64?
    /// The user's `sessionGeneration` when they authenticated.
    public var generation = 0
    /// The peer's address (without port), for the audit log and login throttling.
    public var source: String
    /// What the user authenticated with. A session lives no longer than it: a
    /// session opened with a token ends when the token expires or is revoked, one
    /// opened with an API key when the key is revoked.
    public var credential: SessionCredential = .password
    /// The user's `warden` permissions, as of a directory revision.
    var permissions: CallerPermissions?

    public init(source: String, userID: Int64? = nil) {
        self.source = source
        self.userID = userID
    }
}

/// What a session was authenticated with (`AUTH user password`, `AUTH user APIKEY`,
/// `AUTH TOKEN token`).
public enum SessionCredential: Sendable, Equatable {
    case password
    case apiKey(id: String)
    case token(jti: String, expires: Int64)
}

/// A change to the connection that a command asks of the server.
public enum SessionEffect: Sendable, Equatable {
    case none
    case authenticate(userID: Int64, generation: Int, credential: SessionCredential)
    /// Send the reply, then close the connection (`QUIT`).
    case close
}
