/// The head of the audit hash chain, kept by the writer so that appending an entry
/// needs no read. Restored when a change in a batch is rolled back.
public struct AuditChain: Sendable, Equatable {
    public var lastSeq: Int64
    public var head: String
    /// The key of new entries; nil hashes every entry with plain SHA-256 (the tests of
    /// the chain's shape, and a database opened without its master key).
    public var keying: AuditKeying?

    public static func == (lhs: AuditChain, rhs: AuditChain) -> Bool {
        lhs.lastSeq == rhs.lastSeq && lhs.head == rhs.head && lhs.keying?.keyedFrom == rhs.keying?.keyedFrom
    }

    public init(lastSeq: Int64 = 0, head: String = AuditRecord.genesisHash) {
        self.lastSeq = lastSeq
        self.head = head
    }

    /// Reads the chain's head from the database (the newest entry).
    public static func load(from connection: Connection) throws(SQLiteError) -> AuditChain {
        try connection.queryOne("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1") {
            AuditChain(lastSeq: $0.int(0), head: $0.text(1))
        } ?? AuditChain()
    }

    /// Makes the next entry (its number, its link and its hash) and advances the head.
    public mutating func append(
        time: String, actor: String, source: String,
        action: String, target: String, detail: String, result: AuditRecord.Result
    ) -> AuditRecord {
        let seq = lastSeq + 1
        let hash = keying?.hash(
            seq: seq, time: time, actor: actor, source: source, action: action,
            target: target, detail: detail, result: result.rawValue, previousHash: head)
            ?? AuditRecord.computeHash(
                seq: seq, time: time, actor: actor, source: source, action: action,
                target: target, detail: detail, result: result.rawValue, previousHash: head)
        let entry = AuditRecord(
            seq: seq, time: time, actor: actor, source: source, action: action, target: target,
            detail: detail, result: result.rawValue, previousHash: head, hash: hash)
        lastSeq = seq
        head = hash
        return entry
    }
}
