/// One change to Warden's state, as a value.
///
/// A change is decided by a command against memory; the store's backend writes it
/// (each backend interprets it as its own SQL, in the transaction of its batch); once
/// committed, one reducer applies it to memory (`WardenService.apply`). On PostgreSQL
/// the same values are what the other nodes of a cluster replay from the change feed:
/// one code path for local and remote changes, so that every node's memory is the
/// database's state.
///
/// Cases say what happened, not which rows moved: `.disabled` is the status *and* the
/// marking of the user's live tokens, as one fact.
///
/// `Codable` so that a change travels in the change feed (`ChangeCodec`); the
/// synthesized form names each case and its labels, so a new case needs no codec work.
public enum Change: Sendable, Equatable, Codable {
    // MARK: Users
    /// A new user, with the id the store gave it.
    case userAdded(User)
    case profileChanged(userID: Int64, displayName: String, email: String)
    /// An administrator's reset (`USER PASSWD`): every token issued before it is
    /// revoked, and the user's sessions end unless `endsSessions` is false (a reset of
    /// one's own password keeps the connection that made it).
    case passwordReset(userID: Int64, phc: String, endsSessions: Bool)
    /// The user's own new password (`PASSWD`) or first one (`ACTIVATE`): their other
    /// sessions end.
    case passwordSet(userID: Int64, phc: String)
    /// Offboarding: sessions end and live tokens are marked `disabled`.
    case disabled(userID: Int64)
    /// Tokens issued before the disable stay dead (marked `revoked`).
    case enabled(userID: Int64)
    /// The user and their grants, keys and invite go; their tokens are revoked.
    case userDeleted(userID: Int64)
    /// A password login: the time, the failure count reset, and a hash upgraded to the
    /// configured cost when it was weaker.
    case loggedIn(userID: Int64, at: Timestamp, upgradedHash: String?)
    case loginFailed(userID: Int64)
    /// A new SCIM `externalId` (SPEC §12), or none.
    case externalIDChanged(userID: Int64, externalID: String?)
    /// The user's SCIM-visible attributes changed at this instant (`meta.lastModified`);
    /// written by the transaction beside each change that `touchesUser` says so of.
    case userModified(userID: Int64, at: Timestamp)

    // MARK: Systems and roles
    case systemAdded(SystemDefinition)
    case systemChanged(SystemDefinition)
    case systemDeleted(name: String)
    case roleAdded(Role)
    case roleDeleted(name: String)
    case roleEntitlementAdded(role: String, Entitlement)
    case roleEntitlementRemoved(role: String, Entitlement)
    case roleIncluded(role: String, included: String)
    case roleExcluded(role: String, included: String)
    /// `ROLE SET`: a new description and request settings.
    case roleSettingsChanged(role: String, description: String, RequestSettings)
    /// A new SCIM `externalId` of the role's group (SPEC §12), or none.
    case roleExternalIDChanged(role: String, externalID: String?)

    // MARK: Grants
    /// A grant, or new expiry and reason for the same grant.
    case granted(userID: Int64, Grant)
    case grantRevoked(userID: Int64, GrantTarget)
    case allGrantsRevoked(userID: Int64)

    // MARK: Credentials
    case tokenIssued(IssuedTokenRecord)
    case tokenRevoked(jti: String)
    /// Tokens that expired before the instant are forgotten.
    case tokensPruned(expiredBefore: Timestamp)
    case signingKeyAdded(SigningKeyRecord)
    case signingKeyRetired(kid: String, at: Timestamp)
    case apiKeyAdded(APIKeyRecord)
    case apiKeyRevoked(id: String, userID: Int64)
    case inviteIssued(InviteRecord)
    case inviteDeleted(userID: Int64)

    // MARK: Multi-factor authentication
    /// A pending TOTP enrolment, replacing an unconfirmed one.
    case mfaEnrolled(MFARecord)
    /// MFA turned on by a code of `usedSteps`' last step, with the recovery codes' hashes.
    case mfaConfirmed(userID: Int64, at: Timestamp, usedSteps: [Int64], recoveryCodes: [String])
    /// A code accepted: the steps now remembered as used.
    case mfaCodeAccepted(userID: Int64, usedSteps: [Int64])
    /// A recovery code used: the hashes of those left.
    case mfaRecoveryCodeUsed(userID: Int64, remaining: [String])
    /// MFA off (`MFA DISABLE`, `USER MFA-RESET`), or a pending enrolment dropped.
    case mfaRemoved(userID: Int64)

    // MARK: Access requests and separation of duties
    /// A new request (pending).
    case requestMade(AccessRequest)
    /// A request as it now is: an approval added, or approved, denied, cancelled or
    /// expired (an approval's grant is its own `.granted`).
    case requestChanged(AccessRequest)
    case separationRuleAdded(SeparationRule)
    case separationRuleDeleted(name: String)

    /// The user whose profile, password, status or external id the change moves: its
    /// `meta.lastModified` moves with it.
    public var modifiedUser: Int64? {
        switch self {
        case .profileChanged(let id, _, _), .passwordReset(let id, _, _), .passwordSet(let id, _), .disabled(let id),
             .enabled(let id), .externalIDChanged(let id, _):
            id
        default:
            nil
        }
    }

    /// Whether applying it changes role closures (the reducer computes those off the
    /// state lock).
    public var changesRoles: Bool {
        switch self {
        case .roleAdded, .roleDeleted, .roleEntitlementAdded, .roleEntitlementRemoved, .roleIncluded, .roleExcluded,
             .roleSettingsChanged, .roleExternalIDChanged: true
        default: false
        }
    }

    // MARK: Access reviews
    /// A review started (SPEC §9), with its snapshot of the grants in scope.
    case reviewStarted(AccessReview)
    /// An item decided, or its decision changed (until the review closes).
    case reviewItemDecided(review: Int64, item: Int, decision: AccessReview.Verdict, by: String, reason: String, at: Timestamp)
    /// A review closed: its revocations are `grantRevoked` changes of their own.
    case reviewClosed(review: Int64, at: Timestamp, kept: Int, revoked: Int)

    // MARK: Web sessions
    /// A web sign-in (SPEC §11), carried by the sign-in's audit entry. Memory only: no
    /// row is written, so a node that restarts forgets its sessions (they sign in again).
    case webSessionStarted(WebSession)
    /// A web sign-out: the session of this id digest ends on every node.
    case webSessionEnded(digest: String)
}
