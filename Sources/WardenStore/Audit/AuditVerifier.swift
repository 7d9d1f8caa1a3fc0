/// Walks the whole audit chain and names the first entry that does not fit:
/// a gap in the numbering, a broken link to the previous hash, or content that
/// no longer matches its own hash.
public enum AuditVerifier {
    public enum Outcome: Equatable, Sendable {
        case intact(entries: Int64, head: String)
        case tampered(seq: Int64)
    }

    /// The walk itself, fed the entries in `seq` order from whichever database holds them.
    public struct Walk {
        let keying: AuditKeying?
        var expectedSeq: Int64 = 1
        var head = AuditRecord.genesisHash
        var count: Int64 = 0
        /// The first entry that does not fit, once found.
        public private(set) var tamperedAt: Int64?

        public init(keying: AuditKeying?) {
            self.keying = keying
        }

        /// Checks the next entry; false once the chain is broken (see `outcome`).
        public mutating func check(_ record: AuditRecord) -> Bool {
            guard tamperedAt == nil else { return false }
            // A missing entry is named by the number it should have had.
            guard record.seq == expectedSeq else {
                tamperedAt = min(record.seq, expectedSeq)
                return false
            }
            guard record.previousHash == head, keying?.isSelfConsistent(record) ?? record.isSelfConsistent() else {
                tamperedAt = record.seq
                return false
            }
            head = record.hash
            expectedSeq += 1
            count += 1
            return true
        }

        public var outcome: Outcome {
            if let tamperedAt { return .tampered(seq: tamperedAt) }
            return .intact(entries: count, head: head)
        }
    }

    /// With `keying`, entries from its `keyedFrom` on must carry the keyed hash; without
    /// it every entry is checked with the plain rule (and a keyed one fails).
    public static func verify(_ connection: Connection, keying: AuditKeying? = nil) throws(SQLiteError) -> Outcome {
        let statement = try connection.prepare(
            "SELECT seq, time, actor, source, action, target, detail, result, prev_hash, hash FROM audit ORDER BY seq")
        defer { statement.reset() }
        var walk = Walk(keying: keying)
        while let row = try statement.step() {
            let record = AuditRecord(
                seq: row.int(0), time: row.text(1), actor: row.text(2), source: row.text(3),
                action: row.text(4), target: row.text(5), detail: row.text(6), result: row.text(7),
                previousHash: row.text(8), hash: row.text(9))
            guard walk.check(record) else { break }
        }
        return walk.outcome
    }
}
