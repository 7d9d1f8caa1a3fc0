import WardenCore
import WardenProtocol
import WardenStore

/// `AUDIT`, `AUDIT VERIFY` (SPEC §2.5): read from the database off the event loop.
extension WardenService {
    func audit(_ context: CommandContext, _ words: [Word]) throws(WardenError) -> Outcome {
        let args = try Arguments(words, count: 0...0, options: ["since", "actor", "target", "limit"], usage: context.usage)
        let limit = try WardenService.limit(args.options["limit"], fallback: 100, maximum: 10_000)
        var sinceSeq: Int64?
        var sinceTime: String?
        if let since = args.options["since"] {
            if let seq = Int64(since), seq >= 0 {
                sinceSeq = seq
            } else if let time = Timestamp(rfc3339: since) {
                sinceTime = Timestamp(seconds: time.seconds).rfc3339
            } else {
                throw .invalid("since= must be a sequence number or an RFC 3339 time")
            }
        }
        let actor = args.options["actor"].map(Identifier.fold)
        let target = args.options["target"].map(Identifier.fold)
        if let refusal = refusal(context, action: "audit", target: "-", permission: .audit) { return refusal }
        let query = AuditQuery(sinceSeq: sinceSeq, sinceTime: sinceTime, actor: actor, target: target, limit: limit)
        return .later { [self] in
            do {
                let records = try await store.auditEntries(query)
                return .list(records.map { record in
                    [.pair("seq", String(record.seq)), .pair("time", record.time), .pair("actor", record.actor),
                     .pair("source", record.source), .pair("action", record.action), .pair("target", record.target),
                     .quotedPair("detail", record.detail), .pair("result", record.result)]
                })
            } catch {
                return .error(error)
            }
        }
    }

    func verifyAudit(_ context: CommandContext, _ words: [Word]) throws(WardenError) -> Outcome {
        _ = try Arguments(words, count: 0...0, usage: context.usage)
        if let refusal = refusal(context, action: "audit.verify", target: "-", permission: .audit) { return refusal }
        return .later { [self] in
            do {
                switch try await store.verifyAudit() {
                case .intact(let entries, let head):
                    return .ok(.pair("entries", String(entries)), .pair("head", head))
                case .tampered(let seq):
                    logger.critical("audit chain broken", metadata: ["audit.seq": "\(seq)"])
                    return .error(.conflict("tampered at seq=\(seq)"))
                }
            } catch {
                return .error(error)
            }
        }
    }

    /// The chain's head and its number, logged at start so that an operator can keep it elsewhere.
    func auditHead() async -> (seq: Int64, head: String)? {
        try? await store.auditHead()
    }
}
