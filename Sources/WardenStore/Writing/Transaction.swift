import WardenCore

/// What one change sees while it runs inside a write batch: the write connection,
/// the batch's clock, the audit chain it appends to in the same transaction, and the
/// changes written so far.
public final class Transaction {
    public let connection: Connection
    /// One instant for the whole change, so that its rows and audit entry agree.
    public let now: Timestamp
    var chain: AuditChain
    /// The changes written so far in this batch, in order (`write(_:)`).
    public internal(set) var changes: [Change] = []

    init(connection: Connection, now: Timestamp, chain: AuditChain) {
        self.connection = connection
        self.now = now
        self.chain = chain
    }

    /// Appends an audit entry in this transaction: no change without its entry.
    public func audit(
        actor: String, source: String, action: String, target: String,
        detail: String = "", result: AuditRecord.Result = .ok
    ) throws(SQLiteError) {
        try chain.append(
            to: connection, time: now.rfc3339, actor: actor, source: source,
            action: action, target: target, detail: detail, result: result)
    }
}
