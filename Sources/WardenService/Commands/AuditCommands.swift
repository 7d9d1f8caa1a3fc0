import WardenCore
import WardenProtocol
import WardenStore

/// `AUDIT`, `AUDIT VERIFY` (SPEC §2.5): read from SQLite off the event loop.
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
                let records = try await store.read { db throws(SQLiteError) in try query.run(db) }
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
        try? await store.read { db throws(SQLiteError) in
            try db.queryOne("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1") { ($0.int(0), $0.text(1)) }
        }
    }
}

/// The filters of `AUDIT`, as one prepared statement with bound parameters.
struct AuditQuery: Sendable {
    var sinceSeq: Int64?
    var sinceTime: String?
    var actor: String?
    var target: String?
    var limit: Int

    func run(_ db: Connection) throws(SQLiteError) -> [AuditRecord] {
        // Each filter is always bound; a NULL parameter switches it off. Without
        // `since`, the newest entries are taken and then put oldest first.
        let newest = sinceSeq == nil && sinceTime == nil
        let sql = """
            SELECT seq, time, actor, source, action, target, detail, result, prev_hash, hash FROM audit
            WHERE (?1 IS NULL OR seq > ?1) AND (?2 IS NULL OR time >= ?2)
              AND (?3 IS NULL OR actor = ?3) AND (?4 IS NULL OR target = ?4)
            ORDER BY seq \(newest ? "DESC" : "ASC") LIMIT ?5
            """
        let records = try db.query(sql, [.optional(sinceSeq), .optional(sinceTime), .optional(actor), .optional(target), .integer(Int64(limit))]) { row in
            AuditRecord(
                seq: row.int(0), time: row.text(1), actor: row.text(2), source: row.text(3), action: row.text(4),
                target: row.text(5), detail: row.text(6), result: row.text(7), previousHash: row.text(8), hash: row.text(9))
        }
        return newest ? records.reversed() : records
    }
}
