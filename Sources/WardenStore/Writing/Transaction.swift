import WardenCore

/// How one backend writes changes and audit entries inside a batch's transaction
/// (SQLite: `SQLiteInterpreter`; PostgreSQL: `PostgresInterpreter`). Used only on the
/// writer thread.
public protocol ChangeInterpreter: AnyObject {
    /// Inserts a new user; returns the id the database gave it (never one used before).
    func insertUser(_ user: User) throws -> Int64
    /// Writes one change's rows.
    func write(_ change: Change) throws
    /// Appends one audit entry. `changes` are the changes written since the previous
    /// entry of the same job: what another node needs to apply it (a backend that has
    /// no other node ignores them).
    func append(_ entry: AuditRecord, carrying changes: ArraySlice<Change>) throws
    /// The storage probe's write: it fails while storage cannot be written.
    func recordHealthCheck() throws
    /// Whether other nodes replay the changes from the audit log, so that every change
    /// must be carried by an entry (PostgreSQL).
    var feedsOtherNodes: Bool { get }
}

extension ChangeInterpreter {
    public var feedsOtherNodes: Bool { false }
}

/// What one change sees while it runs inside a write batch: the batch's clock, the
/// audit chain it appends to in the same transaction, and the changes written so far.
/// The same for both backends: the writing itself is the interpreter's.
public final class Transaction {
    /// One instant for the whole change, so that its rows and audit entry agree.
    public let now: Timestamp
    var chain: AuditChain
    /// The changes written so far in this batch, in order (`write(_:)`).
    public internal(set) var changes: [Change] = []
    /// Where the changes not yet carried by an audit entry start.
    var uncarried = 0
    let interpreter: any ChangeInterpreter

    init(interpreter: any ChangeInterpreter, now: Timestamp, chain: AuditChain) {
        self.interpreter = interpreter
        self.now = now
        self.chain = chain
    }

    /// The number of the newest audit entry so far: committed (by any node), or
    /// written earlier in this batch. 0: the database has never been used.
    public var auditHeadSeq: Int64 { chain.lastSeq }

    /// Adds a user; returns it with the id the database gave it.
    public func addUser(_ user: User) throws -> User {
        var added = user
        added.id = try interpreter.insertUser(user)
        changes.append(.userAdded(added))
        return added
    }

    /// Writes `change` (a new user goes through `addUser`, which gives it its id).
    public func write(_ change: Change) throws {
        try interpreter.write(change)
        changes.append(change)
        // SCIM's meta.lastModified (SPEC §12) moves with every change to what it shows.
        if let id = change.modifiedUser {
            let modified = Change.userModified(userID: id, at: now)
            try interpreter.write(modified)
            changes.append(modified)
        }
    }

    /// Appends an audit entry in this transaction: no change without its entry. The
    /// entry carries the changes written since the previous one.
    public func audit(
        actor: String, source: String, action: String, target: String,
        detail: String = "", result: AuditRecord.Result = .ok
    ) throws {
        var next = chain
        let entry = next.append(
            time: now.rfc3339, actor: actor, source: source, action: action, target: target, detail: detail, result: result)
        try interpreter.append(entry, carrying: changes[uncarried...])
        chain = next
        uncarried = changes.count
    }

    /// Writes the health row (the storage probe).
    public func recordHealthCheck() throws {
        try interpreter.recordHealthCheck()
    }

    /// A job's changes that no audit entry carries (token pruning) still reach the
    /// other nodes: they get an entry of their own, by `warden`.
    func carryRemainingChanges(action: String) throws {
        guard uncarried < changes.count else { return }
        try audit(actor: "warden", source: "-", action: action, target: "-")
    }
}
