import WardenCore
import WardenProtocol
import WardenStore

/// The shape every change takes: checks against memory inside the writer, the
/// `Change` values written with their audit entry in one transaction, then (by the
/// reducer, once committed) the update of memory.
extension WardenService {
    /// What a change's body returns: the reply and the audit detail.
    struct ChangeResult: Sendable {
        var reply: Reply
        var detail: String

        init(_ reply: Reply = .ok(), detail: String = "") {
            self.reply = reply
            self.detail = detail
        }
    }

    /// What a change's body may look at: the transaction, the caller, and memory.
    struct ChangeScope {
        var transaction: Transaction
        var caller: String
        var callerID: Int64
        /// Memory as it is when the change runs (a copy-on-write view: the writer is
        /// the only mutator, and it applies changes only after this view is gone).
        var state: ServiceState
        var now: Timestamp { transaction.now }
    }

    /// A refusal that is itself audited (`result=denied`) before it is answered:
    /// `ERR FORBIDDEN message`, or another code (`CONFLICT sod=NAME`, SPEC §10) with a
    /// fuller audit detail.
    struct Denial: Error {
        var message: String
        var code = WardenError.Code.forbidden
        var detail: String?
    }

    /// Runs an authenticated change in the writer.
    ///
    /// Inside the batch, the caller is looked up again (they may have been disabled
    /// meanwhile), must hold `permission` (when one is named), and `body` runs its own checks (self
    /// actions, escalation, references). A `Denial` is audited and answered with
    /// `ERR FORBIDDEN`; a `WardenError` changes nothing and is not audited.
    func change(
        _ context: CommandContext, action: String, target: String, permission: BuiltIn.Permission?,
        scope: WriteScope, forbidSelf: Bool = false,
        _ body: @escaping @Sendable (ChangeScope, Directory) throws -> ChangeResult
    ) -> Outcome {
        guard let callerID = context.callerID, let caller = context.caller else { return .reply(.error(.noAuth)) }
        let request = ChangeRequest(
            caller: caller, callerID: callerID, credential: context.session.credential, source: context.source,
            action: action, target: target, permission: permission, forbidSelf: forbidSelf)
        // The change is decided on the caller's rights and credential: it reads the
        // caller's key (and their token's), so it never shares a batch with an earlier
        // change to them.
        var reads: Set<String> = [WriteScope.userKey(caller)]
        if case .token(let jti, _) = request.credential { reads.insert("token:" + jti) }
        let scope = scope.reading(reads)
        let priority: WritePriority = WardenService.offboardingActions.contains(action) ? .offboarding : .ordinary
        // Queued now, on the loop, rather than from the task that awaits it: a
        // connection's pipelined changes reach the writer in the order they were sent
        // (see `mayOverlap`).
        let pending = PendingReply()
        store.writer.submit(scope, priority: priority, { [self] transaction in
            try runChange(request, transaction, body)
        }, completion: { result in
            switch result {
            case .success(let reply): pending.complete(reply)
            case .failure(let error): pending.complete(.error(error))
            }
        })
        return .later { await pending.reply }
    }

    /// The changes that take access away: on a full disk they still run, on the room
    /// kept for them (`DiskReserve`), so that a leaver never keeps access for want of space.
    static let offboardingActions: Set<String> = [
        "user.disable", "user.delete", "user.passwd", "revoke", "role.revoke", "token.revoke", "apikey.revoke",
    ]

    /// Who asks for a change, and what it needs.
    struct ChangeRequest: Sendable {
        var caller: String
        var callerID: Int64
        var credential: SessionCredential
        var source: String
        var action: String
        var target: String
        /// nil: any authenticated user may ask (`REQUEST …`); the body decides.
        var permission: BuiltIn.Permission?
        var forbidSelf: Bool
    }

    /// The part of a change that runs on the writer thread, inside its batch.
    private func runChange(
        _ request: ChangeRequest, _ transaction: Transaction,
        _ body: (ChangeScope, Directory) throws -> ChangeResult
    ) throws -> Committed<Reply> {
        // Checked without holding the lock, so the body may take it.
        let current = state.withLock { $0 }
        let scope = ChangeScope(transaction: transaction, caller: request.caller, callerID: request.callerID, state: current)
        do {
            guard let user = current.directory.user(id: request.callerID), user.status == .active,
                  current.holds(request.credential, of: request.callerID, at: transaction.now) else {
                throw WardenError.noAuth
            }
            if request.forbidSelf && request.target == request.caller {
                throw Denial(message: "you cannot do that to yourself")
            }
            if let permission = request.permission, !current.directory.allows(request.caller, permission, at: transaction.now) {
                throw Denial(message: "requires warden \(permission.rawValue)")
            }
            let result = try body(scope, current.directory)
            try transaction.audit(
                actor: request.caller, source: request.source, action: request.action, target: request.target, detail: result.detail)
            return Committed(result.reply)
        } catch let denial as Denial {
            try transaction.audit(
                actor: request.caller, source: request.source, action: request.action, target: request.target,
                detail: denial.detail ?? denial.message, result: .denied)
            return Committed(.error(WardenError(denial.code, denial.message)))
        }
    }

    /// Audits a refused read (`result=denied`) and answers `ERR FORBIDDEN`.
    func deny(_ context: CommandContext, action: String, target: String, permission: BuiltIn.Permission) -> Outcome {
        deny(context, action: action, target: target, message: "requires warden \(permission.rawValue)")
    }

    /// Audits a refused request (`result=denied`) and answers `ERR FORBIDDEN message`.
    func deny(_ context: CommandContext, action: String, target: String, message: String) -> Outcome {
        let caller = context.caller ?? "-"
        let source = context.source
        return .later { [self] in
            do {
                return try await store.writer.submit(.keys([])) { transaction in
                    try transaction.audit(actor: caller, source: source, action: action, target: target, detail: message, result: .denied)
                    return Committed(Reply.error(.forbidden(message)))
                }
            } catch {
                return .error(error)
            }
        }
    }

    /// `nil` when the caller holds `permission` now; otherwise the audited denial to answer.
    func refusal(_ context: CommandContext, action: String, target: String, permission: BuiltIn.Permission) -> Outcome? {
        guard context.holds(permission) else {
            return deny(context, action: action, target: target, permission: permission)
        }
        return nil
    }

    /// A reply whose building grows with the directory (every user, every request, every
    /// item of a review): built on the scan thread from a copy of the state, taken there
    /// under the lock (copy-on-write: nothing is copied then) and counted while it lives
    /// (see `apply(_:committedAt:)`), and encoded off the loop by the line protocol, so
    /// that no event loop, and none of its other connections, waits for it.
    func offTheLoops(_ build: @escaping @Sendable (ServiceState) -> Reply) -> Outcome {
        .later { [self] in await onScanThread(build) }
    }

    /// Runs `build` on the scan thread with a copy of the state taken there, counted
    /// while it lives (the reducer then applies commits off the lock).
    func onScanThread<Value: Sendable>(_ build: @escaping @Sendable (ServiceState) -> Value) async -> Value {
        await scans.run { [self] in
            scansHoldingState.add(1, ordering: .relaxed)
            defer { scansHoldingState.subtract(1, ordering: .relaxed) }
            return build(state.withLock { $0 })
        }
    }

    /// As `read`, for a reply that grows with the directory (`WHO`, `USER LIST`): the
    /// caller is checked on the loop, then the reply is built off the loops
    /// (`offTheLoops`), so that neither the loop nor the lock waits for the scan.
    func scan(
        _ context: CommandContext, action: String, target: String, permission: BuiltIn.Permission,
        _ body: @escaping @Sendable (ServiceState) throws(WardenError) -> Reply
    ) throws(WardenError) -> Outcome {
        guard context.caller != nil else { throw .noAuth }
        guard context.holds(permission) else { return deny(context, action: action, target: target, permission: permission) }
        return offTheLoops { copy in
            do throws(WardenError) { return try body(copy) } catch { return .error(error) }
        }
    }

    /// Answers a read from memory when the caller holds `permission`; audits a denial otherwise.
    func read(
        _ context: CommandContext, action: String, target: String, permission: BuiltIn.Permission,
        _ body: (ServiceState) throws(WardenError) -> Reply
    ) throws(WardenError) -> Outcome {
        guard context.caller != nil else { throw .noAuth }
        guard context.holds(permission) else { return deny(context, action: action, target: target, permission: permission) }
        let result: Result<Reply, WardenError> = state.withLock { state in
            do throws(WardenError) { return .success(try body(state)) } catch { return .failure(error) }
        }
        return .reply(try result.get())
    }

    /// Requires that the caller holds every `warden` permission in `needed` (no escalation).
    static func requireHolds(_ needed: Set<String>, caller: String, in directory: Directory, at now: Timestamp, what: String) throws {
        let held = directory.wardenPermissions(of: caller, at: now)
        let missing = needed.subtracting(held)
        guard missing.isEmpty else {
            throw Denial(message: "\(what) requires you to hold warden \(missing.sorted().joined(separator: ","))")
        }
    }

    /// Acting on a user who holds `warden` permissions requires holding all of them (SPEC §2.6).
    static func requireOutranks(_ target: String, caller: String, in directory: Directory, at now: Timestamp) throws {
        let needed = directory.wardenPermissions(of: target, at: now)
        guard !needed.isEmpty else { return }
        try requireHolds(needed, caller: caller, in: directory, at: now, what: "acting on \(target)")
    }
}
