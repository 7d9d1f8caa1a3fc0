import WardenCore

/// SQLite's interpreter of `Change`: each change as the statements that write it, in
/// the transaction of its batch. The change is recorded too, so that once the batch
/// commits the writer hands each job's changes to the reducer.
extension Transaction {
    /// Adds a user; returns it with the id the database gave it.
    public func addUser(_ user: User) throws(SQLiteError) -> User {
        var added = user
        added.id = try insertUser(user)
        changes.append(.userAdded(added))
        return added
    }

    /// Writes `change` (a new user goes through `addUser`, which gives it its id).
    public func write(_ change: Change) throws(SQLiteError) {
        switch change {
        case .userAdded(let user):
            _ = try insertUser(user, id: user.id)
        case .profileChanged(let id, let displayName, let email):
            try updateUserProfile(id: id, displayName: displayName, email: email)
        case .passwordReset(let id, let phc, _):
            try setPasswordHash(id: id, phc: phc)
            try markTokens(userID: id, as: .revoked)
        case .passwordSet(let id, let phc):
            try setPasswordHash(id: id, phc: phc)
        case .disabled(let id):
            try setStatus(id: id, .disabled)
            try markTokens(userID: id, as: .disabled)
        case .enabled(let id):
            try setStatus(id: id, .active)
            try markTokens(userID: id, as: .revoked)
        case .userDeleted(let id):
            try markTokens(userID: id, as: .revoked)
            try deleteUser(id: id)
        case .loggedIn(let id, let time, let upgradedHash):
            try recordLogin(id: id, at: time)
            if let upgradedHash { try setPasswordHash(id: id, phc: upgradedHash) }
        case .loginFailed(let id):
            try recordFailedLogin(id: id)
        case .systemAdded(let system):
            try insertSystem(system)
        case .systemChanged(let system):
            try updateSystem(system)
        case .systemDeleted(let name):
            try deleteSystem(name)
        case .roleAdded(let role):
            try insertRole(role)
        case .roleDeleted(let name):
            try deleteRole(name)
        case .roleEntitlementAdded(let role, let entitlement):
            try addRoleEntitlement(role: role, entitlement)
        case .roleEntitlementRemoved(let role, let entitlement):
            try removeRoleEntitlement(role: role, entitlement)
        case .roleIncluded(let role, let included):
            try addRoleInclude(role: role, included: included)
        case .roleExcluded(let role, let included):
            try removeRoleInclude(role: role, included: included)
        case .granted(let id, let grant):
            try putGrant(userID: id, grant)
        case .grantRevoked(let id, let target):
            try deleteGrant(userID: id, target)
        case .allGrantsRevoked(let id):
            try deleteAllGrants(userID: id)
        case .tokenIssued(let token):
            try insertIssuedToken(token)
        case .tokenRevoked(let jti):
            try revokeToken(jti: jti)
        case .tokensPruned(let time):
            try pruneTokens(expiredBefore: time)
        case .signingKeyAdded(let key):
            try insertSigningKey(key)
        case .signingKeyRetired(let kid, let time):
            try retireSigningKey(kid: kid, at: time)
        case .apiKeyAdded(let key):
            try insertAPIKey(key)
        case .apiKeyRevoked(let id, let userID):
            try deleteAPIKey(id: id, userID: userID)
        case .inviteIssued(let invite):
            try putInvite(invite)
        case .inviteDeleted(let id):
            try deleteInvite(userID: id)
        }
        changes.append(change)
    }
}
