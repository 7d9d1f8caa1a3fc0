import WardenCore
import WardenProtocol
import WardenStore

/// How access reviews change state in the writer: the runner of `REVIEW START|DECIDE|
/// CLOSE`, the close itself, and the close a review makes by itself at its due date.
///
/// Closing at `due` is timed work that must happen once on a cluster and survive
/// restarts. The due date is in the store, and the upkeep loop of every node asks the
/// writer to close what is due; the writer decides against the committed state (on
/// PostgreSQL after catching up under the audit head's lock), so the first node to get
/// the lock closes a review and every later one finds it closed and does nothing.
extension WardenService {
    /// Closes the open reviews whose due date has come, as `warden` (upkeep, every 5 s).
    func closeDueReviews() async {
        // A look at memory first, so that an idle node does not take the write lock every tick.
        guard state.withLock({ state in state.reviews.byID.values.contains { $0.isDue(at: Timestamp.now()) } }) else { return }
        // One review a job: memory (which the next close decides against) moves only when
        // a job's batch commits. Bounded, so that a failing store does not spin here.
        for _ in 0..<100 {
            let closed = try? await store.writer.submit(.exclusive) { [self] transaction -> Committed<Bool> in
                let current = state.withLock { $0 }
                guard let review = current.reviews.due(at: transaction.now).first else { return Committed(false) }
                let result = try WardenService.close(review, actor: "warden", source: "-", in: transaction, directory: current.directory)
                try transaction.audit(actor: "warden", source: "-", action: "review.close", target: review.scope.description,
                                      detail: result.detail + " due=\(review.due.rfc3339)")
                return Committed(true)
            }
            guard closed == true else { return }
        }
    }

    /// What a close did: the counts for the reply, the detail of its audit entry.
    struct ReviewClosing {
        var kept: Int
        var revoked: Int
        var detail: String
    }

    /// Closes `review` in `transaction`: each grant to revoke that still exists is revoked
    /// with an audit entry of its own, action `revoke` as `REVOKE` writes it, its detail
    /// naming the review and item; then the close itself (`reviewClosed`), whose audit
    /// entry the caller appends. A revocation that would leave no enabled `warden-admin`
    /// holder is not made (SPEC §2.3): that item counts as kept, and the detail says so.
    static func close(
        _ review: AccessReview, actor: String, source: String, in transaction: Transaction, directory: Directory
    ) throws -> ReviewClosing {
        let plan = review.closePlan(in: directory)
        var working = directory
        var kept = plan.kept, revoked = 0
        var spared: [Int] = []
        for revocation in plan.revocations {
            do {
                try requireAnotherAdmin(besides: revocation.user, in: working, at: transaction.now, losing: revocation.target)
            } catch let error as WardenError where error.code == .conflict {
                kept += 1
                spared.append(revocation.item)
                continue
            }
            try transaction.write(.grantRevoked(userID: revocation.userID, revocation.target))
            try transaction.audit(actor: actor, source: source, action: "revoke", target: revocation.user,
                                  detail: "\(revocation.target) review=\(review.id) item=\(revocation.item)")
            revoked += 1
            // The last-administrator rule must see the revocations made so far; only an
            // administrator's role grant can matter to it, so only those copy the directory.
            if case .role(let role) = revocation.target, working.roleDescendants[role]?.contains(BuiltIn.adminRole) == true {
                working.removeGrant(revocation.target, user: revocation.user)
            }
        }
        try transaction.write(.reviewClosed(review: review.id, at: transaction.now, kept: kept, revoked: revoked))
        var detail = "review=\(review.id) kept=\(kept) revoked=\(revoked)"
        if plan.gone > 0 { detail += " already-gone=\(plan.gone)" }
        if !spared.isEmpty {
            detail += " spared=\(spared.map(String.init).joined(separator: ",")) (last enabled holder of \(BuiltIn.adminRole))"
        }
        return ReviewClosing(kept: kept, revoked: revoked, detail: detail)
    }

    /// Runs a review change in the writer. Like `change`, the caller must still be
    /// enabled and their credential stand; unlike it, `body` authorizes the caller itself
    /// (a reviewer decides without `warden review`). A `Denial` is audited
    /// (`result=denied`) and answered `ERR FORBIDDEN`; a `WardenError` changes nothing
    /// and is not audited (bad input).
    func reviewChange(
        _ context: CommandContext, action: String, target: String, scope: WriteScope,
        _ body: @escaping @Sendable (ChangeScope, Directory) throws -> ChangeResult
    ) -> Outcome {
        guard let callerID = context.callerID, let caller = context.caller else { return .reply(.error(.noAuth)) }
        let credential = context.session.credential
        let source = context.source
        var reads: Set<String> = [WriteScope.userKey(caller)]
        if case .token(let jti, _) = credential { reads.insert("token:" + jti) }
        let scope = scope.reading(reads)
        return .later { [self] in
            do {
                return try await store.writer.submit(scope) { [self] transaction in
                    let current = state.withLock { $0 }
                    guard let user = current.directory.user(id: callerID), user.status == .active,
                          current.holds(credential, of: callerID, at: transaction.now) else {
                        throw WardenError.noAuth
                    }
                    let change = ChangeScope(transaction: transaction, caller: caller, callerID: callerID, state: current)
                    do {
                        let result = try body(change, current.directory)
                        try transaction.audit(actor: caller, source: source, action: action, target: target, detail: result.detail)
                        return Committed(result.reply)
                    } catch let denial as Denial {
                        try transaction.audit(actor: caller, source: source, action: action, target: target,
                                              detail: denial.message, result: .denied)
                        return Committed(Reply.error(.forbidden(denial.message)))
                    }
                }
            } catch {
                return .error(error)
            }
        }
    }
}
