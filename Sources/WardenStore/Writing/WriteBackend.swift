import WardenCore

/// The transactions of one backend, as the writer thread drives them (SQLite:
/// `SQLiteWriteBackend`; PostgreSQL: `PostgresWriteBackend`). Used only on the writer
/// thread, which may block in it: it is never an event loop.
public protocol WriteBackend: AnyObject {
    /// Opens a batch's transaction. A backend shared with other nodes first takes the
    /// cluster's write lock and catches up with every change committed before it
    /// (`apply`, in commit order), so that the batch is decided against the latest
    /// committed state; it sets `chain` to the committed head of the audit chain.
    func begin(now: Timestamp, chain: inout AuditChain, apply: ChangeApplier) throws -> any ChangeInterpreter
    func savepoint() throws
    func rollbackToSavepoint() throws
    func releaseSavepoint() throws
    /// Commits; `chain` is the head after the batch's entries.
    func commit(chain: AuditChain) throws
    /// Rolls back whatever is open (best effort: the connection may be gone).
    func rollback()
    /// Applies the changes other nodes committed since the last ones applied, outside
    /// any write (a single node has none). Returns the revision reached.
    func catchUp(chain: inout AuditChain, apply: ChangeApplier) throws -> Int64
    /// Once, after the last batch.
    func close()
}

/// Applies one audit entry committed by another node, with its changes, to memory.
public typealias ChangeApplier = (CommittedEntry) -> Void

/// An audit entry another node committed, as the feed brings it: the changes it carries
/// and what the service needs besides (credential attempts count in every node's throttle).
public struct CommittedEntry: Sendable {
    public var seq: Int64
    public var time: Timestamp
    public var actor: String
    public var source: String
    public var action: String
    public var result: String
    public var changes: [Change]

    public init(seq: Int64, time: Timestamp, actor: String, source: String, action: String, result: String, changes: [Change]) {
        self.seq = seq
        self.time = time
        self.actor = actor
        self.source = source
        self.action = action
        self.result = result
        self.changes = changes
    }
}

/// A failure of a backend's storage, for the writer's answer to the callers.
public protocol StorageFailure: Error {
    /// The database refused the change as inconsistent (a constraint).
    var isConstraintViolation: Bool { get }
    /// No room left on the disk.
    var isDiskFull: Bool { get }
}

extension SQLiteError: StorageFailure {}

/// SQLite's transactions: `BEGIN IMMEDIATE`, savepoints, one fsync at `COMMIT`.
/// One node owns the file, so there is never anything to catch up with.
final class SQLiteWriteBackend: WriteBackend {
    let connection: Connection

    init(connection: Connection) {
        self.connection = connection
    }

    func begin(now: Timestamp, chain: inout AuditChain, apply: ChangeApplier) throws -> any ChangeInterpreter {
        // Prepared once and reused (`run`), not parsed again for every batch.
        try connection.run("BEGIN IMMEDIATE")
        return SQLiteInterpreter(connection: connection, now: now)
    }

    func savepoint() throws { try connection.run("SAVEPOINT change") }
    func rollbackToSavepoint() throws { try connection.run("ROLLBACK TO change") }
    func releaseSavepoint() throws { try connection.run("RELEASE change") }
    func commit(chain: AuditChain) throws { try connection.run("COMMIT") }
    func rollback() { try? connection.execute("ROLLBACK") }

    func catchUp(chain: inout AuditChain, apply: ChangeApplier) throws -> Int64 { chain.lastSeq }

    func close() {
        try? connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    }
}
