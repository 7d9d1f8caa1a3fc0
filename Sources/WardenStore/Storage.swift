import WardenCore

/// Everything the service needs from storage, whichever database holds it: SQLite in
/// the data directory (`SQLiteStore`, one node) or PostgreSQL (`PostgresStore` in
/// WardenPostgres, several nodes). The service and the server never know which.
public protocol Storage: AnyObject, Sendable {
    /// This node's single writer: every change, in group commits, decided against the
    /// latest committed state, applied to memory through the service's reducer.
    var writer: WriteQueue { get }
    /// Seals and opens the private signing keys kept in the database.
    var secrets: SecretVault { get }
    /// This node's own folder (`--data`): the bootstrap password file, the lock.
    var dataDirectory: DataDirectory { get }

    /// `AUDIT`'s entries, oldest first (off the caller's thread).
    func auditEntries(_ query: AuditQuery) async throws(WardenError) -> [AuditRecord]
    /// The newest entry's number and hash; nil for an empty log.
    func auditHead() async throws(WardenError) -> (seq: Int64, head: String)?
    /// Walks the whole audit chain under its keying.
    func verifyAudit() async throws(WardenError) -> AuditVerifier.Outcome

    /// Whether the database answers (for `/healthz`).
    func isHealthy() async -> Bool
    /// Whether this node has lost its database and answers from memory only (`HELLO`'s
    /// `degraded=true`); never on SQLite, where no other node can change anything.
    var isDegraded: Bool { get }
    /// After a write failure: a real write that clears the failure once it succeeds.
    func probeStorage() async
    /// Waits until this node has applied every change committed anywhere before the
    /// call (at most `timeout`); returns the node's revision.
    func sync(timeout: Duration) async throws(WardenError) -> Int64
    /// How many committed audit entries this node is known not to have applied yet,
    /// for `/metrics` (0 on SQLite).
    var lag: Int64 { get }

    /// Finishes queued writes and closes the database.
    func close()
}

/// What opening storage found: the store, the state to load into memory, and whether
/// the database was just created (so the caller bootstraps it).
public struct OpenedStorage: Sendable {
    public var store: any Storage
    public var snapshot: Snapshot
    public var isNew: Bool

    public init(store: any Storage, snapshot: Snapshot, isNew: Bool) {
        self.store = store
        self.snapshot = snapshot
        self.isNew = isNew
    }
}

/// The filters of `AUDIT`: each backend runs them as one statement with bound parameters.
public struct AuditQuery: Sendable {
    public var sinceSeq: Int64?
    /// RFC 3339, whole seconds.
    public var sinceTime: String?
    public var actor: String?
    public var target: String?
    public var limit: Int

    public init(sinceSeq: Int64?, sinceTime: String?, actor: String?, target: String?, limit: Int) {
        self.sinceSeq = sinceSeq
        self.sinceTime = sinceTime
        self.actor = actor
        self.target = target
        self.limit = limit
    }

    /// Without `since`, the newest entries are taken (and then put oldest first).
    public var takesNewest: Bool { sinceSeq == nil && sinceTime == nil }
}
