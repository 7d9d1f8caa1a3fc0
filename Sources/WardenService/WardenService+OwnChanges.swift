import WardenCore
import WardenProtocol
import WardenStore

/// Changes that any authenticated user makes to their own account (`MFA …`): no
/// `warden` permission is needed, and the audit entry names the caller as both actor
/// and target.
extension WardenService {
    /// What an own change's body returns: the reply, the audit detail and result.
    struct OwnResult: Sendable {
        var reply: Reply
        var detail: String
        /// `.failed` for a wrong code: audited as a failed attempt, nothing changed.
        var result: AuditRecord.Result

        init(_ reply: Reply, detail: String, result: AuditRecord.Result = .ok) {
            self.reply = reply
            self.detail = detail
            self.result = result
        }
    }

    /// Runs a change of the caller's own account in the writer: the caller must still
    /// be active and their session's credential still stand; `body` gets the caller and
    /// their MFA record as committed. A `WardenError` from `body` changes nothing and
    /// is not audited (bad input).
    ///
    /// With `presentsCode`, the request presents a code that can be guessed: it takes a
    /// turn of the login throttle (SPEC §2.4), and a failed result counts as a failure.
    func ownChange(
        _ context: CommandContext, action: String, presentsCode: Bool = false,
        _ body: @escaping @Sendable (ChangeScope, User, MFARecord?) throws -> OwnResult
    ) -> Outcome {
        guard let caller = context.caller, let callerID = context.callerID else { return .reply(.error(.noAuth)) }
        let credential = context.session.credential
        let source = context.source
        var reads: Set<String> = []
        if case .token(let jti, _) = credential { reads.insert("token:" + jti) }
        let scope = WriteScope.user(caller).reading(reads)
        return .later { [self] in
            let turn = presentsCode ? throttle.begin(username: caller, source: source, now: Timestamp.now()) : nil
            if let turn, turn.waitMilliseconds > 0 { try? await Task.sleep(for: .milliseconds(turn.waitMilliseconds)) }
            do {
                let result = try await store.writer.submit(scope) { [self] transaction in
                    let current = state.withLock { $0 }
                    guard let user = current.directory.user(id: callerID), user.status == .active,
                          current.holds(credential, of: callerID, at: transaction.now) else {
                        throw WardenError.noAuth
                    }
                    let scope = ChangeScope(transaction: transaction, caller: caller, callerID: callerID, state: current)
                    let result = try body(scope, user, current.mfa[callerID])
                    try transaction.audit(actor: caller, source: source, action: action, target: caller,
                                          detail: result.detail, result: result.result)
                    return Committed(result)
                }
                if let turn {
                    if result.result == .failed { throttle.failed(turn, now: Timestamp.now()) } else { throttle.succeeded(turn) }
                }
                return result.reply
            } catch {
                if let turn { throttle.abandoned(turn) }
                return .error(error)
            }
        }
    }
}
