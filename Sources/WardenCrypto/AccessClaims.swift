/// The claims an OAuth 2.0 JWT access token (RFC 9068 §2.2) adds to Warden's own.
public struct AccessClaims: Sendable, Equatable {
    /// `client_id`: the OAuth client (a Warden service user) the token was issued to.
    public var clientID: String
    /// `scope`: the permissions of the token's audience it carries, space-separated
    /// (RFC 6749 §3.3); empty when it carries none.
    public var scope: String

    public init(clientID: String, scope: String) {
        self.clientID = clientID
        self.scope = scope
    }

    /// The scope's permission names.
    public var permissions: [String] {
        scope.split(separator: " ").map(String.init)
    }
}
