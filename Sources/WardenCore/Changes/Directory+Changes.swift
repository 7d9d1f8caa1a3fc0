/// The directory's part of the reducer: how each committed `Change` moves users,
/// systems, roles and grants in memory. (Credentials are the service's part.)
extension Directory {
    /// Applies a change that is not a role change (those go through `RoleGraph.apply`,
    /// off the state lock, and `adoptRoles`). Changes to a user unknown here (deleted
    /// meanwhile) change nothing.
    public mutating func apply(_ change: Change) {
        switch change {
        case .userAdded(let user):
            upsert(user)
        case .profileChanged(let id, let displayName, let email):
            updateUser(id: id) {
                $0.displayName = displayName
                $0.email = email
            }
        case .passwordReset(let id, let phc, let endsSessions):
            updateUser(id: id) {
                $0.passwordHash = phc
                if endsSessions { $0.sessionGeneration += 1 }
            }
        case .passwordSet(let id, let phc):
            updateUser(id: id) {
                $0.passwordHash = phc
                $0.sessionGeneration += 1
            }
        case .disabled(let id):
            updateUser(id: id) {
                $0.status = .disabled
                $0.sessionGeneration += 1
            }
        case .enabled(let id):
            updateUser(id: id) { $0.status = .active }
        case .userDeleted(let id):
            if let name = userNamesByID[id] { removeUser(name) }
        case .loggedIn(let id, let time, let upgradedHash):
            updateUser(id: id) {
                $0.lastLogin = time
                $0.failedLogins = 0
                if let upgradedHash { $0.passwordHash = upgradedHash }
            }
        case .loginFailed(let id):
            updateUser(id: id) { $0.failedLogins += 1 }
        case .externalIDChanged(let id, let externalID):
            updateUser(id: id) { $0.externalID = externalID }
        case .userModified(let id, let time):
            updateUser(id: id) { $0.modified = time }
        case .systemAdded(let system), .systemChanged(let system):
            upsert(system)
        case .systemDeleted(let name):
            removeSystem(name)
        case .granted(let id, let grant):
            if let name = userNamesByID[id] { put(grant, user: name) }
        case .grantRevoked(let id, let target):
            if let name = userNamesByID[id] { removeGrant(target, user: name) }
        case .allGrantsRevoked(let id):
            if let name = userNamesByID[id] { removeAllGrants(user: name) }
        case .roleAdded, .roleDeleted, .roleEntitlementAdded, .roleEntitlementRemoved, .roleIncluded, .roleExcluded,
             .tokenIssued, .tokenRevoked, .tokensPruned, .signingKeyAdded, .signingKeyRetired,
             .apiKeyAdded, .apiKeyRevoked, .inviteIssued, .inviteDeleted,
             .mfaEnrolled, .mfaConfirmed, .mfaCodeAccepted, .mfaRecoveryCodeUsed, .mfaRemoved,
             .roleSettingsChanged, .roleExternalIDChanged, .requestMade, .requestChanged, .separationRuleAdded, .separationRuleDeleted:
            break
        case .reviewStarted, .reviewItemDecided, .reviewClosed, .webSessionStarted, .webSessionEnded:
            break
        }
    }

    private mutating func updateUser(id: Int64, _ body: (inout User) -> Void) {
        guard let name = userNamesByID[id] else { return }
        updateUser(name, body)
    }
}

extension RoleGraph {
    /// Applies a role change; returns the roles whose closure was recomputed.
    @discardableResult
    public mutating func apply(_ change: Change) -> Set<String> {
        switch change {
        case .roleAdded(let role):
            return upsert(role)
        case .roleDeleted(let name):
            return remove(name)
        case .roleEntitlementAdded(let name, let entitlement):
            return update(name) { _ = $0.entitlements.insert(entitlement) }
        case .roleEntitlementRemoved(let name, let entitlement):
            return update(name) { _ = $0.entitlements.remove(entitlement) }
        case .roleIncluded(let name, let included):
            return update(name) { _ = $0.includes.insert(included) }
        case .roleExcluded(let name, let included):
            return update(name) { _ = $0.includes.remove(included) }
        case .roleExternalIDChanged(let name, let externalID):
            return update(name) { $0.externalID = externalID }
        case .roleSettingsChanged(let name, let description, let settings):
            return update(name) {
                $0.description = description
                $0.requests = settings
            }
        default:
            return []
        }
    }

    private mutating func update(_ name: String, _ body: (inout Role) -> Void) -> Set<String> {
        guard var role = roles[name] else { return [] }
        body(&role)
        return upsert(role)
    }
}
