import WardenCore
import WardenProtocol
import WardenStore

/// Who may see and decide access requests, and their expiry (SPEC §8).
extension WardenService {
    /// `APPROVE` and `DENY`: the request must exist and be pending, the caller must be
    /// one of its role's approvers (refused and audited otherwise), and never its requester.
    func decideRequest(
        _ context: CommandContext, _ number: Int64, action: String, scope: WriteScope,
        _ body: @escaping @Sendable (ChangeScope, Directory, AccessRequest, User) throws -> ChangeResult
    ) -> Outcome {
        let target = state.withLock { state in
            state.requests[number].flatMap { state.directory.user(id: $0.userID)?.name } ?? "request:\(number)"
        }
        return change(context, action: action, target: target, permission: nil, scope: scope) { scope, directory in
            guard let request = scope.state.requests[number], let requester = directory.user(id: request.userID) else {
                throw WardenError.notFound("no request \(number)")
            }
            guard request.userID != scope.callerID else { throw Denial(message: "nobody decides their own request") }
            guard WardenService.mayDecide(request.role, caller: scope.caller, in: scope.state, at: scope.now) else {
                throw Denial(message: "you are not an approver of role \(request.role)")
            }
            let status = request.status(at: scope.now)
            guard status == .pending else { throw WardenError.conflict("request \(number) is \(status.rawValue)") }
            return try body(scope, directory, request, requester)
        }
    }

    /// Whether `caller` may approve or deny requests for `role`: an enabled holder of
    /// the role's approvers role (directly or through inclusion), or, for a role
    /// without one, of `warden grant`.
    static func mayDecide(_ role: String, caller: String, in state: ServiceState, at now: Timestamp) -> Bool {
        let directory = state.directory
        guard directory.users[caller]?.status == .active, let role = directory.roles[role] else { return false }
        if let approvers = role.requests.approvers {
            return directory.holdings(of: caller, at: now).roles[approvers] != nil
        }
        return directory.allows(caller, .grant, at: now)
    }

    /// A user sees their own requests, those they may decide, and (holding `warden
    /// grant`) all of them.
    static func maySee(_ request: AccessRequest, caller: String, in state: ServiceState, at now: Timestamp) -> Bool {
        state.directory.user(id: request.userID)?.name == caller
            || state.directory.allows(caller, .grant, at: now)
            || mayDecide(request.role, caller: caller, in: state, at: now)
    }

    static func fields(of request: AccessRequest, in state: ServiceState, at now: Timestamp) -> [Reply.Field] {
        let needed = state.directory.roles[request.role]?.requests.approvals ?? 1
        return [
            .pair("request", String(request.id)), .pair("user", state.directory.user(id: request.userID)?.name ?? "-"),
            .pair("role", request.role), .pair("for", Lifetime.format(request.duration)),
            .pair("status", request.status(at: now).rawValue), .pair("approvals", "\(request.approvedBy.count)/\(needed)"),
            .pair("reason", request.reason), .pair("created", request.created.rfc3339),
        ]
    }

    static func requestNumber(_ text: String) throws(WardenError) -> Int64 {
        guard let number = Int64(text), number > 0 else { throw .invalid("a request is named by its number, not \(text)") }
        return number
    }

    /// Records the expiry of every request pending for 24 hours (SPEC §8), one audit
    /// entry each, by `warden`. Decided in the writer against the committed state, so
    /// on a cluster the first node to get there expires a request and the others find
    /// it done; what is due is kept in the store, so a restart loses nothing.
    /// `now`: the instant to judge by (a test passes a later one).
    @discardableResult
    func expireRequests(now: Timestamp = .now()) async -> Int {
        let due = state.withLock { $0.requests.values.contains { $0.status == .pending && now >= $0.expires } }
        guard due else { return 0 }
        let expired = try? await store.writer.submit(.exclusive) { [self] transaction in
            let expiring = state.withLock { state in
                state.requests.values.filter { $0.status == .pending && max(now, transaction.now) >= $0.expires }.sorted { $0.id < $1.id }
            }
            for var request in expiring {
                let requester = state.withLock { $0.directory.user(id: request.userID)?.name } ?? "-"
                request.status = .expired
                request.decided = request.expires
                try transaction.write(.requestChanged(request))
                try transaction.audit(actor: BuiltIn.system, source: "-", action: "request.expire", target: requester,
                                      detail: "request=\(request.id) role:\(request.role)")
            }
            return Committed(expiring.count)
        }
        return expired ?? 0
    }
}
