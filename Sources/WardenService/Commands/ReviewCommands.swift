import WardenCore
import WardenProtocol
import WardenStore

/// `REVIEW START|LIST|SHOW|ITEMS|DECIDE|CLOSE` (SPEC §9).
///
/// A review is decided in the writer against the committed state, like every change:
/// the snapshot of the grants in scope is taken there (a scan of every user, off the
/// event loops and outside the state lock), so it is exactly the state its number and
/// audit entry follow. `START` and `CLOSE` need `warden review`; the named reviewer may
/// see and decide their own reviews without it.
extension WardenService {
    /// `due=` defaults to 14 days and may be at most 365 days away.
    static let reviewDefaultDuration: Int64 = 14 * 86_400
    static let reviewMaximumDuration: Int64 = 365 * 86_400

    func startReview(_ context: CommandContext, _ words: [Word]) throws(WardenError) -> Outcome {
        let args = try Arguments(words, count: 0...0, options: ["role", "system", "reviewer", "due", "for", "default"], usage: context.usage)
        let scope: AccessReview.Scope
        switch (args.options["role"], args.options["system"]) {
        case (.some(let role), nil): scope = .role(try Identifier.parse(role, what: "role name"))
        case (nil, .some(let system)): scope = .system(try Identifier.parse(system, what: "system name"))
        default: throw .syntax("give role= or system=, one of them; usage: \(context.usage)")
        }
        guard let reviewerText = args.options["reviewer"] else { throw .syntax("reviewer= is required; usage: \(context.usage)") }
        let reviewerName = try Identifier.parse(reviewerText, what: "username")
        let due = try WardenService.reviewDue(args, now: context.now)
        let verdict = try WardenService.verdict(args.options["default"] ?? "keep", what: "default=")
        return reviewChange(context, action: "review.start", target: scope.description, scope: .exclusive) { change, directory in
            try WardenService.requireReviewPermission(change, directory)
            switch scope {
            case .role(let role): guard directory.roles[role] != nil else { throw WardenError.notFound("no role \(role)") }
            case .system(let system): guard directory.systems[system] != nil else { throw WardenError.notFound("no system \(system)") }
            }
            guard let reviewer = directory.users[reviewerName] else { throw WardenError.notFound("no user \(reviewerName)") }
            guard reviewer.status == .active else { throw WardenError.invalid("reviewer \(reviewerName) is disabled") }
            // A review can end in revocations; taking warden permissions away needs
            // holding them (SPEC §2.6), so reviewing them does too.
            try WardenService.requireHolds(
                WardenService.wardenPermissions(in: scope, directory), caller: change.caller, in: directory, at: change.now,
                what: "reviewing warden permissions")
            let items = directory.reviewItems(for: scope, at: change.now)
            let review = AccessReview(
                id: change.state.reviews.nextID, scope: scope, reviewerID: reviewer.id, reviewer: reviewer.name, due: due,
                defaultVerdict: verdict, createdBy: change.caller, created: change.now, items: items)
            try change.transaction.write(.reviewStarted(review))
            return ChangeResult(
                .ok(.pair("review", String(review.id)), .pair("items", String(items.count))),
                detail: "review=\(review.id) \(scope) reviewer=\(reviewer.name) items=\(items.count) due=\(due.rfc3339) default=\(verdict.rawValue)")
        }
    }

    func listReviews(_ context: CommandContext, _ words: [Word]) throws(WardenError) -> Outcome {
        let args = try Arguments(words, count: 0...0, options: ["status"], usage: context.usage)
        guard let callerID = context.callerID else { throw .noAuth }
        let open: Bool? = switch args.options["status"] {
        case nil: nil
        case "open": true
        case "closed": false
        default: throw .invalid("status= must be open or closed")
        }
        let all = context.holds(.review)
        // Copies of the values (their item arrays are shared, not copied) under the lock;
        // formatted outside it.
        let reviews = state.withLock { $0.reviews.sorted(open: open) }
        return .reply(.list(reviews.filter { all || $0.reviewerID == callerID }.map(WardenService.reviewFields)))
    }

    func showReview(_ context: CommandContext, _ words: [Word]) throws(WardenError) -> Outcome {
        let args = try Arguments(words, count: 1...1, usage: context.usage)
        let id = try WardenService.reviewNumber(args.positional[0])
        switch try visibleReview(context, id, action: "review.show") {
        case .denied(let outcome): return outcome
        case .visible(let review):
            var fields = WardenService.reviewFields(review)
            fields.append(.pair("default", review.defaultVerdict.rawValue))
            if let closed = review.closed {
                fields += [.pair("closed", closed.rfc3339), .pair("kept", String(review.kept)), .pair("revoked", String(review.revoked))]
            }
            return .reply(.ok(fields))
        }
    }

    func reviewItems(_ context: CommandContext, _ words: [Word]) throws(WardenError) -> Outcome {
        let args = try Arguments(words, count: 1...1, options: ["decided"], usage: context.usage)
        let id = try WardenService.reviewNumber(args.positional[0])
        let decided: Bool? = switch args.options["decided"] {
        case nil: nil
        case "yes": true
        case "no": false
        default: throw .invalid("decided= must be yes or no")
        }
        switch try visibleReview(context, id, action: "review.items") {
        case .denied(let outcome): return outcome
        case .visible(let review):
            // A review of a system may hold an item for every user: built off the event loops.
            return offTheLoops { _ in
                .list(review.items.filter { decided == nil || ($0.decision != nil) == decided }.map { item in
                    [.pair("item", String(item.number)), .pair("user", item.user), .pair("grant", item.grantDescription),
                     .pair("until", item.until?.rfc3339 ?? "never"), .pair("decision", item.decision?.rawValue ?? "none"),
                     .pair("by", item.decidedBy ?? "none"), .quotedPair("reason", item.reason)]
                })
            }
        }
    }

    func decideReview(_ context: CommandContext, _ words: [Word]) throws(WardenError) -> Outcome {
        let args = try Arguments(words, count: 3...3, options: ["reason"], usage: context.usage)
        let id = try WardenService.reviewNumber(args.positional[0])
        guard let number = Int(args.positional[1]), number >= 1 else { throw .invalid("item must be a number from 1") }
        let verdict = try WardenService.verdict(args.positional[2].lowercased(), what: "the decision")
        let reason = try args.text("reason") ?? ""
        // The audit entry names the user whose grant is decided (AUDIT target=USER finds it).
        let target = state.withLock { $0.reviews[id]?.item(number)?.user } ?? "review:\(id)"
        return reviewChange(context, action: "review.decide", target: target, scope: .keys(["review:\(id)"])) { change, directory in
            guard let review = change.state.reviews[id] else { throw WardenError.notFound("no review \(id)") }
            guard let item = review.item(number) else { throw WardenError.notFound("review \(id) has no item \(number)") }
            guard review.reviewerID == change.callerID || directory.allows(change.caller, .review, at: change.now) else {
                throw Denial(message: "only review \(id)'s reviewer or a holder of warden review may decide it")
            }
            guard item.userID != change.callerID else { throw Denial(message: "nobody decides an item about their own grant") }
            guard review.isOpen else { throw WardenError.conflict("review \(id) is closed") }
            try change.transaction.write(.reviewItemDecided(
                review: id, item: number, decision: verdict, by: change.caller, reason: reason, at: change.now))
            let was = item.decision.map { " (was \($0.rawValue))" } ?? ""
            return ChangeResult(
                .ok(.pair("review", String(id)), .pair("item", String(number)), .pair("decision", verdict.rawValue)),
                detail: "review=\(id) item=\(number) \(item.target) decision=\(verdict.rawValue)\(was)" + (reason.isEmpty ? "" : " reason=\(reason)"))
        }
    }

    func closeReview(_ context: CommandContext, _ words: [Word]) throws(WardenError) -> Outcome {
        let args = try Arguments(words, count: 1...1, usage: context.usage)
        let id = try WardenService.reviewNumber(args.positional[0])
        let target = state.withLock { $0.reviews[id]?.scope.description } ?? "review:\(id)"
        let source = context.source
        return reviewChange(context, action: "review.close", target: target, scope: .exclusive) { change, directory in
            try WardenService.requireReviewPermission(change, directory)
            guard let review = change.state.reviews[id] else { throw WardenError.notFound("no review \(id)") }
            guard review.isOpen else { throw WardenError.conflict("review \(id) is closed") }
            let closed = try WardenService.close(review, actor: change.caller, source: source, in: change.transaction, directory: directory)
            return ChangeResult(
                .ok(.pair("review", String(id)), .pair("kept", String(closed.kept)), .pair("revoked", String(closed.revoked))),
                detail: closed.detail)
        }
    }

    // MARK: Helpers

    /// A review the caller may see: every one with `warden review`, their own as its reviewer.
    private enum Visibility {
        case visible(AccessReview)
        case denied(Outcome)
    }

    private func visibleReview(_ context: CommandContext, _ id: Int64, action: String) throws(WardenError) -> Visibility {
        guard let callerID = context.callerID else { throw .noAuth }
        guard let review = state.withLock({ $0.reviews[id] }) else { throw .notFound("no review \(id)") }
        guard context.holds(.review) || review.reviewerID == callerID else {
            return .denied(deny(context, action: action, target: "review:\(id)",
                                message: "only review \(id)'s reviewer or a holder of warden review may see it"))
        }
        return .visible(review)
    }

    /// The fields of a `REVIEW LIST` line (and the start of `REVIEW SHOW`'s).
    static func reviewFields(_ review: AccessReview) -> [Reply.Field] {
        [.pair("review", String(review.id)), .pair("scope", review.scope.description), .pair("reviewer", review.reviewer),
         .pair("status", review.status), .pair("due", review.due.rfc3339), .pair("decided", "\(review.decidedCount)/\(review.items.count)")]
    }

    static func reviewNumber(_ text: String) throws(WardenError) -> Int64 {
        guard let id = Int64(text), id >= 1 else { throw .invalid("a review number is a number from 1") }
        return id
    }

    static func verdict(_ text: String, what: String) throws(WardenError) -> AccessReview.Verdict {
        guard let verdict = AccessReview.Verdict(rawValue: text) else { throw .invalid("\(what) must be keep or revoke") }
        return verdict
    }

    /// `due=TIME` or `for=DURATION` (not both): in the future, at most 365 days away.
    static func reviewDue(_ args: Arguments, now: Timestamp) throws(WardenError) -> Timestamp {
        let due: Timestamp
        switch (args.options["due"], args.options["for"]) {
        case (.some, .some): throw .syntax("give due= or for=, not both")
        case (.some(let text), nil):
            guard let time = Timestamp(rfc3339: text) else { throw .invalid("due= must be an RFC 3339 time such as 2026-11-25T10:00:00Z") }
            due = time
        case (nil, .some(let text)):
            guard let seconds = Lifetime.parse(text) else { throw .invalid("for= must be a duration such as 90s, 15m, 8h or 30d") }
            due = now.adding(seconds: seconds)
        case (nil, nil):
            due = now.adding(seconds: reviewDefaultDuration)
        }
        guard due > now else { throw .invalid("the due date is in the past") }
        guard due <= now.adding(seconds: reviewMaximumDuration) else { throw .invalid("the due date is more than 365d away") }
        return due
    }

    /// `warden review`, checked in the writer (audited when refused).
    static func requireReviewPermission(_ change: ChangeScope, _ directory: Directory) throws {
        guard directory.allows(change.caller, .review, at: change.now) else {
            throw Denial(message: "requires warden \(BuiltIn.Permission.review.rawValue)")
        }
    }

    /// The `warden` permissions a review of `scope` could take away: those of the role,
    /// or, for a system, of every role in scope (a role carrying a permission of the
    /// system may carry warden permissions too), and all of `warden`'s for `system=warden`.
    static func wardenPermissions(in scope: AccessReview.Scope, _ directory: Directory) -> Set<String> {
        switch scope {
        case .role(let role):
            return Directory.wardenPermissions(in: directory.roleClosure[role] ?? [])
        case .system(let system):
            var permissions: Set<String> = system == BuiltIn.system ? directory.systems[system]?.permissions ?? [] : []
            for (_, closure) in directory.roleClosure where closure.contains(where: { $0.system == system }) {
                permissions.formUnion(Directory.wardenPermissions(in: closure))
            }
            return permissions
        }
    }
}

extension WardenService {
    /// The `REVIEW` rows of the command table (`commands` appends them). `LIST`, `SHOW`,
    /// `ITEMS` and `DECIDE` are open to any authenticated user because a named reviewer
    /// needs no `warden review`: each checks (and audits) who may see or decide.
    static let reviewCommands: [Command] = [
        Command(name: "REVIEW START",
                usage: "REVIEW START role=NAME|system=NAME reviewer=USER [due=TIME|for=DURATION] [default=keep|revoke]",
                access: .warden(.review), summary: "start an access review of a role's or a system's grants",
                run: WardenService.startReview),
        Command(name: "REVIEW LIST", usage: "REVIEW LIST [status=open|closed]", access: .authenticated,
                summary: "reviews (all with warden review, else those you review)", run: WardenService.listReviews),
        Command(name: "REVIEW SHOW", usage: "REVIEW SHOW N", access: .authenticated,
                summary: "one review", run: WardenService.showReview),
        Command(name: "REVIEW ITEMS", usage: "REVIEW ITEMS N [decided=yes|no]", access: .authenticated,
                summary: "a review's grants and their decisions", run: WardenService.reviewItems),
        Command(name: "REVIEW DECIDE", usage: "REVIEW DECIDE N K keep|revoke [reason=\"..\"]", access: .authenticated,
                summary: "keep or revoke item K (the reviewer, or warden review)", run: WardenService.decideReview),
        Command(name: "REVIEW CLOSE", usage: "REVIEW CLOSE N", access: .warden(.review),
                summary: "close a review: revoke what was decided revoke", run: WardenService.closeReview),
    ]
}
