import WardenCrypto

/// The settings of the use cases, from `warden serve`'s flags (SPEC §1).
public struct ServiceConfiguration: Sendable {
    /// The `iss` of every token.
    public var issuer = "warden"
    public var scrypt = ScryptParameters.owaspMinimum
    public var tokenTTL: Int64 = 15 * 60
    public var maximumTokenTTL: Int64 = 12 * 3600
    public var signingAlgorithm = SigningAlgorithm.edDSA
    /// Lifetime of a `USER INVITE` code when the request names none.
    public var inviteTTL: Int64 = 72 * 3600
    /// `WARDEN_ADMIN_PASSWORD` at first start; a random one is written to a file otherwise.
    public var bootstrapAdminPassword: String?
    /// Threads that hash passwords (`warden serve --hashing-threads`, by default one
    /// fewer than the cores, at least one: see docs/architecture.md, "Password hashing").
    public var hashingThreads = 1
    /// How much lower than the event loops the hashing threads run (a nice value
    /// added to theirs): a login storm then delays logins before it delays CHECKs.
    public var hashingNiceness: Int32 = 5
    /// Who must have MFA on (`warden serve --mfa`, SPEC §7).
    public var mfa = MFAPolicy.optional
    /// `--public-url` (no trailing `/`): how people reach the HTTP port, for the links
    /// Warden hands out (`USER INVITE … link=`). Nil: the HTTP listener's own address.
    public var publicURL: String?
    /// How long a web session may sit idle, and live in all (SPEC §11: 15 min and 8 h;
    /// `warden serve --web-idle-timeout`/`--web-session-lifetime` may only shorten them).
    public var webIdleSeconds: Int64 = 15 * 60
    public var webLifetimeSeconds: Int64 = 8 * 3600
    /// Version reported by `HELLO`.
    public var version = "1.0.0"

    public init() {}
}

/// `--mfa optional|admins|everyone`: whose password sign-ins need MFA to be on. A user
/// it covers who has none may sign in with a password only to enrol (SPEC §7).
public enum MFAPolicy: String, Sendable, CaseIterable {
    case optional, admins, everyone

    /// Whether a user who signs in with a password must have MFA on: `holdsWarden`
    /// says whether they hold any `warden` permission.
    func requiresMFA(holdsWarden: Bool) -> Bool {
        switch self {
        case .optional: false
        case .admins: holdsWarden
        case .everyone: true
        }
    }
}
