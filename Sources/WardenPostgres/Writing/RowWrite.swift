import PostgresNIO
import WardenCore

/// A write of one user's rows, of a kind the writer sends for the whole batch at once:
/// every row write of one kind that may run at the same point becomes one statement
/// with each column an array (`PostgresStatements.rows(_:)`), where each would have
/// been a round trip of its own.
///
/// Every row write touches only rows of its `userID` (its grants, its `users` row, its
/// tokens), and the tables they name by foreign key (users, roles, systems) change only
/// through statements sent alone, in order. So row writes of different users commute,
/// and `HeldStatements` may reorder them; those of one user keep their order.
///
/// `statements(for:)` stays the plain form of every change, one row a statement: the
/// reference the tests hold these to (a batch writes what its changes one at a time do).
enum RowWrite: Sendable {
    case insertGrant(userID: Int64, Grant)
    case deleteRoleGrant(userID: Int64, role: String)
    case deleteEntitlementGrant(userID: Int64, Entitlement)
    case setStatus(userID: Int64, User.Status)
    case setPasswordHash(userID: Int64, phc: String)
    case recordLogin(userID: Int64, at: Timestamp)
    case countLoginFailure(userID: Int64)
    /// The user's live tokens marked (see `PostgresStatements.markTokens`).
    case markTokens(userID: Int64, IssuedTokenRecord.Revocation)
    case insertToken(IssuedTokenRecord)
    /// The signing key stays published until its last token expires. `greatest` of
    /// several is the same in any order, so it has no user: it commutes with every row
    /// write, and one kid raised twice in a batch is raised once to the later expiry.
    case raiseKeyExpiry(kid: String, until: Timestamp)

    /// What may be sent in one statement: the same kind.
    enum Shape: Hashable {
        case insertGrant, deleteRoleGrant, deleteEntitlementGrant, setStatus, setPasswordHash, recordLogin
        case countLoginFailure, markTokens, insertToken, raiseKeyExpiry
    }

    var shape: Shape {
        switch self {
        case .insertGrant: .insertGrant
        case .deleteRoleGrant: .deleteRoleGrant
        case .deleteEntitlementGrant: .deleteEntitlementGrant
        case .setStatus: .setStatus
        case .setPasswordHash: .setPasswordHash
        case .recordLogin: .recordLogin
        case .countLoginFailure: .countLoginFailure
        case .markTokens: .markTokens
        case .insertToken: .insertToken
        case .raiseKeyExpiry: .raiseKeyExpiry
        }
    }

    /// The user whose rows it writes; `nil`: it commutes with every other row write.
    var userID: Int64? {
        switch self {
        case .insertGrant(let id, _), .deleteRoleGrant(let id, _), .deleteEntitlementGrant(let id, _), .setStatus(let id, _),
             .setPasswordHash(let id, _), .recordLogin(let id, _), .countLoginFailure(let id), .markTokens(let id, _):
            id
        case .insertToken(let token): token.userID
        case .raiseKeyExpiry: nil
        }
    }

    /// The writes of `change` in the order `statements(for:)` runs them, `nil` for a
    /// change written by statements sent alone (rarer changes, and every change that
    /// touches more than one user's rows: roles, systems, keys, a user's deletion).
    static func writes(for change: Change) -> [HeldStatements.Item]? {
        switch change {
        case .granted(let id, let grant):
            // Delete and insert, as SQLite does: the new grant replaces the same one.
            [.row(deleteGrant(userID: id, grant.target)), .row(.insertGrant(userID: id, grant))]
        case .grantRevoked(let id, let target):
            [.row(deleteGrant(userID: id, target))]
        case .disabled(let id):
            [.row(.setStatus(userID: id, .disabled)), .row(.markTokens(userID: id, .disabled))]
        case .enabled(let id):
            [.row(.setStatus(userID: id, .active)), .row(.markTokens(userID: id, .revoked))]
        case .passwordReset(let id, let phc, _):
            [.row(.setPasswordHash(userID: id, phc: phc)), .row(.markTokens(userID: id, .revoked))]
        case .passwordSet(let id, let phc):
            [.row(.setPasswordHash(userID: id, phc: phc))]
        case .loggedIn(let id, let time, let upgradedHash):
            [.row(.recordLogin(userID: id, at: time))] + (upgradedHash.map { [.row(.setPasswordHash(userID: id, phc: $0))] } ?? [])
        case .loginFailed(let id):
            [.row(.countLoginFailure(userID: id))]
        case .tokenIssued(let token):
            [.row(.insertToken(token)), .row(.raiseKeyExpiry(kid: token.kid, until: token.expires))]
        case .userDeleted(let id):
            // The row's deletion cascades to the user's grants, keys and invite: alone.
            [.row(.markTokens(userID: id, .revoked)), .single("DELETE FROM users WHERE id = \(id)")]
        default:
            nil
        }
    }

    private static func deleteGrant(userID: Int64, _ target: GrantTarget) -> RowWrite {
        switch target {
        case .role(let name): .deleteRoleGrant(userID: userID, role: name)
        case .entitlement(let entitlement): .deleteEntitlementGrant(userID: userID, entitlement)
        }
    }
}
