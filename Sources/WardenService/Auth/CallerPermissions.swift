import WardenCore

/// The `warden` permissions of a session's user, kept on the session between requests
/// so that authorizing a read (`CHECK`, `VALIDATE`, `ACCESS` …) is a bit test rather
/// than a second run of the check engine.
///
/// The cache is exact, not a grace period: it holds only while the directory is at the
/// revision it was computed from (every change to users, roles or grants bumps it, so a
/// revocation is seen by the very next request) and until the earliest expiry among the
/// grants it was computed from. Changes are still authorized again by the writer.
struct CallerPermissions: Sendable, Equatable {
    var userID: Int64
    var revision: UInt64
    /// One bit for each case of `BuiltIn.Permission`, in declaration order.
    var held: UInt32
    /// The first instant at which a grant it counted has expired; `nil` for never.
    var validUntil: Timestamp?

    /// Computes the permissions `name` holds now through unexpired grants.
    init(userID: Int64, name: String, in state: ServiceState, at now: Timestamp) {
        self.userID = userID
        revision = state.revision
        held = 0
        validUntil = nil
        for entry in state.directory.access(user: name, at: now) {
            if let until = entry.until { validUntil = min(validUntil ?? until, until) }
            guard entry.entitlement.system == BuiltIn.system,
                  let permission = BuiltIn.Permission(rawValue: entry.entitlement.permission) else { continue }
            held |= CallerPermissions.bit(permission)
        }
    }

    func isCurrent(userID: Int64, revision: UInt64, at now: Timestamp) -> Bool {
        guard self.userID == userID, self.revision == revision else { return false }
        guard let validUntil else { return true }
        return now < validUntil
    }

    /// Whether they hold any `warden` permission (an administrator, for `--mfa admins`).
    var holdsAny: Bool { held != 0 }

    func holds(_ permission: BuiltIn.Permission) -> Bool {
        held & CallerPermissions.bit(permission) != 0
    }

    private static func bit(_ permission: BuiltIn.Permission) -> UInt32 {
        let index = BuiltIn.Permission.allCases.firstIndex(of: permission)!
        return 1 << UInt32(index)
    }
}
