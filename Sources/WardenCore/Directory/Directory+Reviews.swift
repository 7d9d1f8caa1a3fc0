/// The scope of an access review (SPEC §9), as a snapshot of the grants it covers.
extension Directory {
    /// The grants a review of `scope` covers at `now`, numbered from 1, sorted by user
    /// then grant so that two runs over the same state give the same numbers:
    ///
    /// - `role:X`: every unexpired grant of role X to a user;
    /// - `system:S`: every unexpired direct grant on S, and every unexpired grant of a
    ///   role that carries a permission of S, directly or by inclusion at any depth.
    ///
    /// Disabled users' grants are included: they are kept for `USER ENABLE` and come
    /// back with it, so they need certifying as much as any. A scan of every user's
    /// grants (as `WHO`): the service runs it in the writer, off the event loops and
    /// outside the state lock.
    public func reviewItems(for scope: AccessReview.Scope, at now: Timestamp) -> [AccessReviewItem] {
        // Which numbered targets are in scope, worked out once a target.
        var inScope: Set<UInt32> = []
        for id in targets.targets.indices.map(UInt32.init) {
            switch (scope, targets[id]) {
            case (.role(let wanted), .role(let role)):
                if role == wanted { inScope.insert(id) }
            case (.system(let system), .entitlement(let entitlement)):
                if entitlement.system == system { inScope.insert(id) }
            case (.system(let system), .role(let role)):
                if (roleClosure[role] ?? []).contains(where: { $0.system == system }) { inScope.insert(id) }
            case (.role, .entitlement):
                continue
            }
        }
        guard !inScope.isEmpty else { return [] }
        var found: [(user: User, target: GrantTarget, until: Timestamp?)] = []
        for entry in allEntries {
            for grant in entry.grants where grant.isLive(at: now) && inScope.contains(grant.target) {
                found.append((entry.user, targets[grant.target], grant.expiry))
            }
        }
        found.sort { ($0.user.name, $0.target.description) < ($1.user.name, $1.target.description) }
        return found.enumerated().map { index, grant in
            AccessReviewItem(number: index + 1, userID: grant.user.id, user: grant.user.name, target: grant.target, until: grant.until)
        }
    }
}
