import WardenCore
import WardenProtocol
import WardenStore

/// `REQUEST role …` and `REQUEST LIST|SHOW|APPROVE|DENY|CANCEL` (SPEC §8): time-bound
/// access on request, approved by the people who own it.
///
/// Any authenticated user may ask for a requestable role for themselves; the role's
/// approvers (or, without any, holders of `warden grant`) decide. The last approval
/// needed grants the role as an ordinary timed grant, under the same rules as `GRANT`:
/// no escalation for the approver, separation of duties for the requester. Every step
/// is audited; a pending request expires 24 hours after it was made (`expireRequests`).
extension WardenService {
    func requestRole(_ context: CommandContext, _ words: [Word]) throws(WardenError) -> Outcome {
        let args = try Arguments(words, count: 1...1, options: ["for", "reason"], usage: context.usage)
        let roleName = try args.identifier(0, "role name")
        guard let reason = try args.text("reason"), !reason.isEmpty else { throw .syntax("REQUEST needs reason=\"..\"; usage: \(context.usage)") }
        let asked: Int64? = try args.options["for"].map { text throws(WardenError) in
            guard let seconds = Lifetime.parse(text), seconds > 0 else { throw .invalid("for= must be a duration such as 2h or 3d") }
            return seconds
        }
        guard let caller = context.caller, let callerID = context.callerID else { throw .noAuth }
        // Numbers are given one request at a time: every REQUEST shares the key `requests`.
        let scope = WriteScope.keys(["requests", WriteScope.userKey(caller)])
        return change(context, action: "request", target: caller, permission: nil, scope: scope) { scope, directory in
            guard let role = directory.roles[roleName] else { throw WardenError.notFound("no role \(roleName)") }
            guard role.requests.requestable else { throw Denial(message: "role \(roleName) is not requestable") }
            let duration = asked ?? role.requests.maximum
            guard duration <= role.requests.maximum else {
                throw WardenError.invalid("for= is longer than the role's max of \(Lifetime.format(role.requests.maximum))")
            }
            if directory.holdings(of: caller, at: scope.now).roles[roleName] != nil {
                throw WardenError.conflict("you already hold role \(roleName)")
            }
            if scope.state.requests.values.contains(where: {
                $0.userID == callerID && $0.role == roleName && $0.status(at: scope.now) == .pending
            }) {
                throw WardenError.conflict("you already have a pending request for role \(roleName)")
            }
            let number = (scope.state.requests.keys.max() ?? 0) + 1
            try scope.transaction.write(.requestMade(AccessRequest(
                id: number, userID: callerID, role: roleName, duration: duration, reason: reason, created: scope.now)))
            return ChangeResult(.ok(.pair("request", String(number)), .pair("status", "pending")),
                                detail: "request=\(number) role:\(roleName) for=\(Lifetime.format(duration)) reason=\(reason)")
        }
    }

    func listRequests(_ context: CommandContext, _ words: [Word]) throws(WardenError) -> Outcome {
        let args = try Arguments(words, count: 0...0, options: ["status", "user"], usage: context.usage)
        let status: AccessRequest.Status? = try args.options["status"].map { text throws(WardenError) in
            guard let status = AccessRequest.Status(rawValue: text.lowercased()) else {
                throw .invalid("status= must be pending, approved, denied, cancelled or expired")
            }
            return status
        }
        let user = try args.options["user"].map { text throws(WardenError) in try Identifier.parse(text, what: "username") }
        guard let caller = context.caller else { throw .noAuth }
        let now = context.now
        // Every request ever made is kept: filtered off the event loops, on a copy.
        return offTheLoops { copy in
            .list(copy.requests.values.sorted { $0.id < $1.id }.filter { request in
                (status == nil || request.status(at: now) == status)
                    && (user == nil || copy.directory.user(id: request.userID)?.name == user)
                    && WardenService.maySee(request, caller: caller, in: copy, at: now)
            }.map { WardenService.fields(of: $0, in: copy, at: now) })
        }
    }

    func showRequest(_ context: CommandContext, _ words: [Word]) throws(WardenError) -> Outcome {
        let args = try Arguments(words, count: 1...1, usage: context.usage)
        let number = try WardenService.requestNumber(args.positional[0])
        guard let caller = context.caller else { throw .noAuth }
        let now = context.now
        let seen: (fields: [Reply.Field], visible: Bool)? = state.withLock { state in
            guard let request = state.requests[number] else { return nil }
            var fields = WardenService.fields(of: request, in: state, at: now)
            fields.append(.pair("decided-by", request.decidedBy.isEmpty ? "none" : request.decidedBy.joined(separator: ",")))
            if let until = request.until { fields.append(.pair("until", until.rfc3339)) }
            return (fields, WardenService.maySee(request, caller: caller, in: state, at: now))
        }
        guard let seen else { throw .notFound("no request \(number)") }
        guard seen.visible else {
            return deny(context, action: "request.show", target: "request:\(number)", message: "not your request, nor one you may decide")
        }
        return .reply(.ok(seen.fields))
    }

    func approveRequest(_ context: CommandContext, _ words: [Word]) throws(WardenError) -> Outcome {
        let args = try Arguments(words, count: 1...1, options: ["reason"], usage: context.usage)
        let number = try WardenService.requestNumber(args.positional[0])
        let note = try args.text("reason") ?? ""
        // Alone in its batch: the grant it may make is checked against every rule and
        // grant committed before it (as a role change is).
        return decideRequest(context, number, action: "request.approve", scope: .exclusive) { scope, directory, request, requester in
            var request = request
            guard let role = directory.roles[request.role] else { throw WardenError.conflict("role \(request.role) no longer exists") }
            guard !request.approvedBy.contains(scope.caller) else { throw WardenError.conflict("you approved request \(number) already") }
            // No escalation: approving grants the role, as GRANT does.
            try WardenService.requireHolds(
                Directory.wardenPermissions(in: directory.entitlements(of: .role(role.name))), caller: scope.caller, in: directory,
                at: scope.now, what: "approving a role that carries warden permissions")
            request.approvedBy.append(scope.caller)
            let needed = role.requests.approvals
            let suffix = note.isEmpty ? "" : " reason=\(note)"
            guard request.approvedBy.count >= needed else {
                try scope.transaction.write(.requestChanged(request))
                let approvals = "\(request.approvedBy.count)/\(needed)"
                return ChangeResult(.ok(.pair("request", String(number)), .pair("status", "pending"), .pair("approvals", approvals)),
                                    detail: "request=\(number) approvals=\(approvals)" + suffix)
            }
            // The last approval: the grant, under the rules every grant follows.
            try WardenService.requireSeparation(user: requester.name, adding: [.role(role.name)], in: scope.state, at: scope.now)
            try WardenService.requireAnotherAdmin(besides: requester.name, in: directory, at: scope.now, losing: .role(role.name))
            let until = scope.now.adding(seconds: request.duration)
            request.status = .approved
            request.decided = scope.now
            request.until = until
            try scope.transaction.write(.granted(userID: requester.id, Grant(
                target: .role(role.name), until: until, reason: "request=\(number)", grantedBy: scope.caller, grantedAt: scope.now)))
            try scope.transaction.write(.requestChanged(request))
            return ChangeResult(.ok(.pair("request", String(number)), .pair("status", "approved"), .pair("until", until.rfc3339)),
                                detail: "request=\(number) granted role:\(role.name) until=\(until.rfc3339)" + suffix)
        }
    }

    func denyRequest(_ context: CommandContext, _ words: [Word]) throws(WardenError) -> Outcome {
        let args = try Arguments(words, count: 1...1, options: ["reason"], usage: context.usage)
        let number = try WardenService.requestNumber(args.positional[0])
        guard let note = try args.text("reason"), !note.isEmpty else { throw .syntax("REQUEST DENY needs reason=\"..\"; usage: \(context.usage)") }
        return decideRequest(context, number, action: "request.deny", scope: .keys(["request:\(number)"])) { scope, _, request, _ in
            var request = request
            request.status = .denied
            request.deniedBy = scope.caller
            request.decided = scope.now
            try scope.transaction.write(.requestChanged(request))
            return ChangeResult(.ok(.pair("request", String(number)), .pair("status", "denied")), detail: "request=\(number) reason=\(note)")
        }
    }

    func cancelRequest(_ context: CommandContext, _ words: [Word]) throws(WardenError) -> Outcome {
        let args = try Arguments(words, count: 1...1, usage: context.usage)
        let number = try WardenService.requestNumber(args.positional[0])
        return change(context, action: "request.cancel", target: "request:\(number)", permission: nil, scope: .keys(["request:\(number)"])) { scope, _ in
            guard var request = scope.state.requests[number] else { throw WardenError.notFound("no request \(number)") }
            guard request.userID == scope.callerID else { throw Denial(message: "only the requester may cancel request \(number)") }
            let status = request.status(at: scope.now)
            guard status == .pending else { throw WardenError.conflict("request \(number) is \(status.rawValue)") }
            request.status = .cancelled
            request.decided = scope.now
            try scope.transaction.write(.requestChanged(request))
            return ChangeResult(.ok(.pair("request", String(number)), .pair("status", "cancelled")), detail: "request=\(number)")
        }
    }
}
