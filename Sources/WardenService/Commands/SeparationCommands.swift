import WardenCore
import WardenProtocol
import WardenStore

/// `SOD ADD|LIST|SHOW|DELETE|REPORT` (SPEC §10), and the check every path that can
/// give access runs against the rules.
///
/// A rule is enforced on changes only: `GRANT`, `ROLE GRANT`, `ROLE INCLUDE`,
/// `REQUEST APPROVE` and `USER ENABLE` ask `requireSeparation` before they write, and
/// a change that would give one enabled user both sides is refused with
/// `ERR CONFLICT sod=NAME`, audited as denied. Role changes run alone in their batch
/// (`.exclusive`) and grants one user at a time, so the check sees every change
/// committed before it.
extension WardenService {
    func addSeparationRule(_ context: CommandContext, _ words: [Word]) throws(WardenError) -> Outcome {
        let args = try Arguments(words, count: 3...3, options: ["description"], usage: context.usage)
        let name = try args.identifier(0, "rule name")
        let left = try SeparationRule.Side.parse(args.positional[1])
        let right = try SeparationRule.Side.parse(args.positional[2])
        guard left != right else { throw .invalid("the two sides of a rule must differ") }
        let description = try args.text("description") ?? ""
        return change(context, action: "sod.add", target: "sod:\(name)", permission: .roleAdmin, scope: .exclusive) { scope, directory in
            guard scope.state.separationRules[name] == nil else { throw WardenError.exists("sod rule \(name) exists") }
            for side in [left, right] {
                switch side {
                case .role(let role): guard directory.roles[role] != nil else { throw WardenError.notFound("no role \(role)") }
                case .entitlement(let entitlement): try WardenService.requireEntitlement(entitlement, in: directory)
                }
            }
            let rule = SeparationRule(name: name, left: left, right: right, description: description)
            try scope.transaction.write(.separationRuleAdded(rule))
            return ChangeResult(.ok(.pair("sod", name)), detail: "left=\(left) right=\(right)")
        }
    }

    func listSeparationRules(_ context: CommandContext, _ words: [Word]) throws(WardenError) -> Outcome {
        _ = try Arguments(words, count: 0...0, usage: context.usage)
        return try read(context, action: "sod.list", target: "-", permission: .roleAdmin) { state in
            .list(state.separationRules.values.sorted { $0.name < $1.name }.map(WardenService.fields(of:)))
        }
    }

    func showSeparationRule(_ context: CommandContext, _ words: [Word]) throws(WardenError) -> Outcome {
        let args = try Arguments(words, count: 1...1, usage: context.usage)
        let name = try args.identifier(0, "rule name")
        return try read(context, action: "sod.show", target: "sod:\(name)", permission: .roleAdmin) { state throws(WardenError) in
            guard let rule = state.separationRules[name] else { throw .notFound("no sod rule \(name)") }
            return .ok(WardenService.fields(of: rule))
        }
    }

    func deleteSeparationRule(_ context: CommandContext, _ words: [Word]) throws(WardenError) -> Outcome {
        let args = try Arguments(words, count: 1...1, usage: context.usage)
        let name = try args.identifier(0, "rule name")
        return change(context, action: "sod.delete", target: "sod:\(name)", permission: .roleAdmin, scope: .exclusive) { scope, _ in
            guard scope.state.separationRules[name] != nil else { throw WardenError.notFound("no sod rule \(name)") }
            try scope.transaction.write(.separationRuleDeleted(name: name))
            return ChangeResult(.ok(.pair("sod", name), .pair("deleted", "true")))
        }
    }

    /// `SOD REPORT`: the enabled users who hold both sides of a rule now (granted
    /// before the rule existed). A scan of every user: run on a copy of the state, off
    /// the event loops and off the state lock.
    func separationReport(_ context: CommandContext, _ words: [Word]) throws(WardenError) -> Outcome {
        _ = try Arguments(words, count: 0...0, usage: context.usage)
        guard context.caller != nil else { throw .noAuth }
        if let refusal = refusal(context, action: "sod.report", target: "-", permission: .roleAdmin) { return refusal }
        let now = context.now
        return offTheLoops { copy in
            .list(copy.directory.separationReport(Array(copy.separationRules.values), at: now).map { line in
                [.pair("user", line.user), .pair("sod", line.breach.rule.name),
                 .pair("left-via", line.breach.leftVia), .pair("right-via", line.breach.rightVia)]
            })
        }
    }

    static func fields(of rule: SeparationRule) -> [Reply.Field] {
        [.pair("sod", rule.name), .pair("left", rule.left.description), .pair("right", rule.right.description),
         .pair("description", rule.description)]
    }

    // MARK: Enforcement

    /// Refuses a change that would give `user` (enabled, or about to be: `USER
    /// ENABLE`) both sides of a rule once they also hold what `adding` gives: a
    /// `Denial` answered `ERR CONFLICT sod=NAME` and audited as denied.
    static func requireSeparation(user: String, adding: [GrantTarget] = [], in state: ServiceState, at now: Timestamp,
                                  evenIfDisabled: Bool = false) throws {
        guard !state.separationRules.isEmpty, let account = state.directory.users[user],
              account.status == .active || evenIfDisabled else { return }
        let holdings = state.directory.holdings(of: user, at: now, adding: adding)
        guard let breach = Directory.breach(of: state.separationRules.values, by: holdings) else { return }
        throw Denial(
            message: "sod=\(breach.rule.name)", code: .conflict,
            detail: "sod=\(breach.rule.name) user=\(user) left-via=\(breach.leftVia) right-via=\(breach.rightVia)")
    }

    /// The same for every enabled user a change to `role` reaches, when the change
    /// adds what `adding` gives to the role (`ROLE GRANT`, `ROLE INCLUDE`). Only the
    /// rules naming something the change adds can be broken by it: without one, no
    /// user is looked at.
    static func requireSeparation(role: String, adding: GrantTarget, in state: ServiceState, at now: Timestamp) throws {
        let directory = state.directory
        let added: Set<SeparationRule.Side> = switch adding {
        case .entitlement(let entitlement): [.entitlement(entitlement)]
        case .role(let included):
            Set((directory.roleDescendants[included] ?? [included]).map(SeparationRule.Side.role))
                .union((directory.roleClosure[included] ?? []).map(SeparationRule.Side.entitlement))
        }
        guard state.separationRules.values.contains(where: { !added.isDisjoint(with: $0.sides) }) else { return }
        for user in directory.enabledHolders(reaching: role, at: now).sorted() {
            try requireSeparation(user: user, adding: [adding], in: state, at: now)
        }
    }

    /// `CONFLICT` while a rule names `side` (a role or system about to be deleted).
    static func requireUnreferenced(_ side: SeparationRule.Side, by state: ServiceState) throws(WardenError) {
        if let rule = state.separationRules.values.sorted(by: { $0.name < $1.name }).first(where: { $0.sides.contains(side) }) {
            throw .conflict("\(side) is named by sod rule \(rule.name)")
        }
    }
}
