import WardenCore
import WardenCrypto
import WardenStore

/// Everything the service answers from memory, behind one lock: the directory, the
/// live tokens, API keys, invites and signing keys. Only the writer thread changes
/// it, after the change is committed; readers look at it in place.
struct ServiceState: Sendable {
    /// Bumped by every change to the directory; sessions' cached permissions
    /// (`CallerPermissions`) hold only at the revision they were computed from.
    /// (`didSet` without `oldValue` keeps mutations in place, SE-0268.)
    var directory: Directory { didSet { revision &+= 1 } }
    private(set) var revision: UInt64 = 0
    var tokens: [String: IssuedTokenRecord] = [:]
    var tokensByUser: [Int64: Set<String>] = [:]
    var apiKeys: [Int64: [APIKeyRecord]] = [:]
    var invites: [Int64: InviteRecord] = [:]
    /// TOTP enrolments, pending or on (SPEC §7).
    var mfa: [Int64: MFARecord] = [:]
    /// Access requests by number (SPEC §8), and the separation-of-duties rules (§10).
    var requests: [Int64: AccessRequest] = [:]
    var separationRules: [String: SeparationRule] = [:]
    /// Access reviews, open and closed (SPEC §9).
    var reviews = AccessReviews()
    var keyring = Keyring()
    /// Signed-in sessions of the web pages by id digest, and their digests by user
    /// (SPEC §11): memory only, filled by `webSessionStarted` on every node.
    var webSessions: [String: WebSession] = [:]
    var webSessionsByUser: [Int64: Set<String>] = [:]

    init(snapshot: Snapshot) {
        directory = snapshot.directory
        for token in snapshot.tokens { remember(token) }
        for key in snapshot.apiKeys { apiKeys[key.userID, default: []].append(key) }
        for invite in snapshot.invites { invites[invite.userID] = invite }
        for record in snapshot.mfa { mfa[record.userID] = record }
        for request in snapshot.requests { requests[request.id] = request }
        for rule in snapshot.separationRules { separationRules[rule.name] = rule }
        reviews = AccessReviews(snapshot.reviews)
    }

    /// Whether the user's MFA is on (confirmed).
    func mfaIsOn(_ userID: Int64) -> Bool { mfa[userID]?.isOn == true }

    mutating func remember(_ token: IssuedTokenRecord) {
        tokens[token.jti] = token
        tokensByUser[token.userID, default: []].insert(token.jti)
    }

    /// Marks every live token of a user (mirrors `Transaction.markTokens`).
    mutating func markTokens(userID: Int64, as revocation: IssuedTokenRecord.Revocation, now: Timestamp) {
        for jti in tokensByUser[userID] ?? [] {
            guard var token = tokens[jti], token.expires > now,
                  token.revocation == nil || token.revocation == .disabled else { continue }
            token.revocation = revocation
            tokens[jti] = token
        }
    }

    /// Whether the credential a session of user `id` was opened with still stands: a
    /// token unexpired and unrevoked, an API key not revoked (a password always: a
    /// change of it ends sessions by `sessionGeneration`).
    func holds(_ credential: SessionCredential, of id: Int64, at now: Timestamp) -> Bool {
        switch credential {
        case .password:
            return true
        case .apiKey(let keyID):
            return apiKeys[id]?.contains { $0.id == keyID } == true
        case .token(let jti, let expires):
            guard now < Timestamp(seconds: expires), let token = tokens[jti] else { return false }
            return token.userID == id && token.revocation == nil
        }
    }

    /// Forgets tokens that expired before `time`.
    mutating func forgetTokens(expiredBefore time: Timestamp) {
        for (jti, token) in tokens where token.expires < time {
            tokens[jti] = nil
            tokensByUser[token.userID]?.remove(jti)
            if tokensByUser[token.userID]?.isEmpty == true { tokensByUser[token.userID] = nil }
        }
    }

    /// Removes a deleted user's credentials (its tokens stay, marked revoked).
    mutating func forgetCredentials(userID: Int64) {
        apiKeys[userID] = nil
        invites[userID] = nil
        mfa[userID] = nil
        // Their requests go with them (as the rows do, ON DELETE CASCADE).
        requests = requests.filter { $0.value.userID != userID }
    }
}
